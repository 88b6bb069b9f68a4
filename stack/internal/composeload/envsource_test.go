package composeload

import (
	"context"
	"testing"
)

// TestEnvSources checks where each variable is said to come from:
// environment:, environment: through a .env variable, or an env_file.
func TestEnvSources(t *testing.T) {
	t.Setenv("DEVSTACK_TEST_OS_VAR", "os")
	t.Setenv("SHADOWED", "fromos") // the process environment wins over .env
	r := loadDir(t, absPath(t, "testdata/envsource"))
	cases := []struct {
		service, name, value string
		source               EnvSource
		file                 string
		secret               bool
	}{
		{"app", "PLAIN", "literal", EnvFromEnvironment, "", false},
		{"app", "GREET", "hello world", EnvFromDotEnv, "", false},
		{"app", "FROM_OS", "os", EnvFromEnvironment, "", false},
		{"app", "SHADOW", "fromos", EnvFromEnvironment, "", false},
		{"app", "A", "overridden", EnvFromEnvironment, "", false},
		{"app", "B", "from-two", EnvFromEnvFile, "two.env", false},
		{"app", "DB_PASSWORD", "s3cret", EnvFromEnvFile, "one.env", true},
		{"list", "FROM_DOTENV_BARE", "x", EnvFromDotEnv, "", false},
		{"list", "LITERAL", "1", EnvFromEnvironment, "", false},
		{"list", "API_TOKEN", "abc", EnvFromEnvironment, "", true},
	}
	for _, c := range cases {
		got := findEnv(r.Env(c.service), c.name)
		want := EnvVar{Name: c.name, Value: c.value, Source: c.source, File: c.file, Secret: c.secret}
		if got != want {
			t.Errorf("%s %s: got %+v, want %+v", c.service, c.name, got, want)
		}
	}
	if app := r.Env("app"); len(app) != 7 {
		t.Errorf("app: got %d variables, want 7: %+v", len(app), app)
	}
}

// TestEnvSourcesOfUnselectedService checks the origins of a service left
// out of LoadOptions.Services: it is inactive in the final model but was
// still active before selection, and its env_file and .env origins must
// not be lost (the dashboard of `devstack up list` shows app's too).
func TestEnvSourcesOfUnselectedService(t *testing.T) {
	t.Setenv("DEVSTACK_TEST_OS_VAR", "os")
	t.Setenv("SHADOWED", "fromos")
	unsetEnv(t, "COMPOSE_PROFILES", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME")
	r, err := Load(context.Background(), LoadOptions{WorkingDir: absPath(t, "testdata/envsource"), Services: []string{"list"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, active := r.Model.Services["app"]; active {
		t.Fatal("app is active; want it left out by the selection")
	}
	for _, want := range []EnvVar{
		{Name: "GREET", Value: "hello world", Source: EnvFromDotEnv},
		{Name: "B", Value: "from-two", Source: EnvFromEnvFile, File: "two.env"},
		{Name: "DB_PASSWORD", Value: "s3cret", Source: EnvFromEnvFile, File: "one.env", Secret: true},
	} {
		if got := findEnv(r.Env("app"), want.Name); got != want {
			t.Errorf("app %s: got %+v, want %+v", want.Name, got, want)
		}
	}
}

func TestLooksSecret(t *testing.T) {
	for name, want := range map[string]bool{
		"MYSQL_ROOT_PASSWORD": true, "API_TOKEN": true, "AWS_SECRET_ACCESS_KEY": true,
		"SSH_KEY": true, "DB_PASS": true, "PATH": false, "MYSQL_DATABASE": false, "KEYBOARD": false,
	} {
		if got := looksSecret(name); got != want {
			t.Errorf("looksSecret(%s): got %v, want %v", name, got, want)
		}
	}
}

func TestEffectiveEnv(t *testing.T) {
	env := []EnvVar{
		{Name: "DB_HOST", Value: "db", Source: EnvFromEnvironment},
		{Name: "DB_PASSWORD", Value: "x", Source: EnvFromEnvFile, File: "db.env", Secret: true},
	}
	got := EffectiveEnv(env, []string{"PATH=/bin", "DB_HOST=db", "DB_PASSWORD=x", "APP_STAGE=dev", "API_TOKEN=abc"})
	want := []EnvVar{
		{Name: "DB_HOST", Value: "db", Source: EnvFromEnvironment},
		{Name: "DB_PASSWORD", Value: "x", Source: EnvFromEnvFile, File: "db.env", Secret: true},
		{Name: "API_TOKEN", Value: "abc", Source: EnvFromImage, Secret: true},
		{Name: "APP_STAGE", Value: "dev", Source: EnvFromImage},
		{Name: "PATH", Value: "/bin", Source: EnvFromImage},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d variables %v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("variable %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}
