package templates

import (
	"strings"
	"testing"
)

func TestQuoteEnvRoundTrip(t *testing.T) {
	for _, v := range []string{"", "plain", "8080", "with space", "it's", `p"w\d`, "a$HOME", "it's $5", "#hash", "${DB_PASSWORD}", "x=y"} {
		line := "K=" + quoteEnv(v) + "\n"
		got := envValues([]byte(line))["K"]
		if got != v {
			t.Errorf("%q written as %q reads back as %q", v, line, got)
		}
	}
}

func TestBlankEnv(t *testing.T) {
	in := "# comment\nexport HTTP_PORT=8080\nDB_PASSWORD=\"multi\nline\"\nREF=${OTHER}\nDEF=${OTHER:-fallback-secret}\nEMPTY=\nNAME='app db'\n"
	got, blanked := blankEnv([]byte(in), func(k string) bool { return k == "HTTP_PORT" || k == "NAME" })
	want := "# comment\nexport HTTP_PORT=8080\nDB_PASSWORD=\nREF=${OTHER}\nDEF=\nEMPTY=\nNAME='app db'\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if strings.Join(blanked, ",") != "DB_PASSWORD,DEF" {
		t.Errorf("blanked: got %v", blanked)
	}
}

func TestFillEnv(t *testing.T) {
	example := "# db\nA=\nB=keep\n"
	got := fillEnv([]byte(example), map[string]string{"A": "1", "C": "3"}, []string{"A", "C"}, true)
	if want := "# db\nA=1\nB=keep\nC=3\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestIsEnvFileName(t *testing.T) {
	for name, want := range map[string]bool{
		".env": true, ".env.local": true, "db.env": true, "mysql.env": true,
		".env.example": false, "db.env.example": false, ".env.sample": false, ".envrc": true, "env": false, ".env/x": false,
	} {
		if got := isEnvFileName(name); got != want {
			t.Errorf("isEnvFileName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestManifestParse(t *testing.T) {
	m, err := parseManifest([]byte("name: shop\nversion: 1.2.0\noptions:\n  - key: PORT\n    secret: false\n  - key: TOKEN\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Options[0].Secret || !m.Options[1].Secret {
		t.Errorf("secret: got %v %v, want false (declared) and true (the default)", m.Options[0].Secret, m.Options[1].Secret)
	}
	out, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	again, err := parseManifest(out)
	if err != nil || again.Options[1] != m.Options[1] {
		t.Errorf("round trip: %v %+v", err, again)
	}
	for _, bad := range []string{
		"version: 1\n",
		"name: x\n",
		"name: x\nversion: 1\noptions:\n  - key: 1BAD\n",
		"name: x\nversion: 1\noptions:\n  - key: A\n  - key: A\n",
		"name: x\nversion: 1\ndata: [../etc]\n",
	} {
		if _, err := parseManifest([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
