package composeload

import (
	"context"
	"path/filepath"
	"testing"
)

// TestProjectNamePrecedence checks the CLI's order, which devstack has to
// apply itself since it calls compose-go's loader directly: -p, then
// COMPOSE_PROJECT_NAME, then name: in a file, then the folder's name.
func TestProjectNamePrecedence(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "My_Folder")
	writeFile(t, filepath.Join(dir, "compose.yaml"), "services:\n  app:\n    image: x\n")
	named := filepath.Join(t.TempDir(), "other")
	writeFile(t, filepath.Join(named, "compose.yaml"), "name: from-file\nservices:\n  app:\n    image: x\n")
	cases := []struct {
		what, dir, flag, env, want string
	}{
		{"folder", dir, "", "", "my_folder"},
		{"name: in the file", named, "", "", "from-file"},
		{"COMPOSE_PROJECT_NAME over name:", named, "", "from-env", "from-env"},
		{"-p over everything", named, "from-flag", "from-env", "from-flag"},
	}
	for _, c := range cases {
		t.Run(c.what, func(t *testing.T) {
			unsetEnv(t, "COMPOSE_PROFILES", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME")
			if c.env != "" {
				t.Setenv("COMPOSE_PROJECT_NAME", c.env)
			}
			r, err := Load(context.Background(), LoadOptions{WorkingDir: c.dir, ProjectName: c.flag})
			if err != nil {
				t.Fatal(err)
			}
			if r.Model.Name != c.want {
				t.Errorf("got project name %q, want %q", r.Model.Name, c.want)
			}
		})
	}
}

// TestLoadOverrideFiles checks that several -f files merge in order and
// that compose.override.yaml is picked up by default.
func TestLoadOverrideFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "proj")
	writeFile(t, filepath.Join(dir, "compose.yaml"), "services:\n  app:\n    image: x\n    environment: {A: base, B: base}\n")
	writeFile(t, filepath.Join(dir, "compose.override.yaml"), "services:\n  app:\n    environment: {B: override}\n")
	r := loadDir(t, dir)
	env := r.Env("app")
	if a, b := findEnv(env, "A").Value, findEnv(env, "B").Value; a != "base" || b != "override" {
		t.Errorf("got A=%s B=%s, want A=base B=override", a, b)
	}
	if len(r.Model.ComposeFiles) != 2 {
		t.Errorf("got config files %v, want compose.yaml and compose.override.yaml", r.Model.ComposeFiles)
	}
}
