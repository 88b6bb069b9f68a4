package stack

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// credentialHelper puts a docker-credential-<name> script on PATH that
// answers `get` for host with the test credentials.
func credentialHelper(t *testing.T, helper, host string) {
	t.Helper()
	dir := t.TempDir()
	script := fmt.Sprintf(`#!/bin/sh
[ "$1" = get ] || exit 1
read server
if [ "$server" = %q ]; then
  printf '{"ServerURL":"%%s","Username":%q,"Secret":%q}' "$server"
else
  echo "credentials not found in native keychain"; exit 1
fi
`, host, regUser, regPass)
	if err := os.WriteFile(filepath.Join(dir, "docker-credential-"+helper), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// assertNoSecret fails when the password shows in the error or any step.
func assertNoSecret(t *testing.T, err error, log *stepLog) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), regPass) {
		t.Errorf("the error shows the password: %v", err)
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	for _, p := range log.steps {
		if strings.Contains(p.Text, regPass) || strings.Contains(p.Subject, regPass) {
			t.Errorf("a step shows the password: %+v", p)
		}
	}
}

func TestPullWithCredentials(t *testing.T) {
	e := testEngine(t)
	reg := startRegistry(t)
	removeImagesAtCleanup(t, e, reg.Host)
	ref, _ := reg.pushRandom(t, e, "private/app:v1", time.Now(), 64<<10)
	cases := []struct {
		name, auth string
		setup      func(t *testing.T)
	}{
		{"basic from auths", "basic", func(t *testing.T) { dockerConfig(t, authsConfig(reg.Host)) }},
		{"bearer from auths", "bearer", func(t *testing.T) { dockerConfig(t, authsConfig(reg.Host)) }},
		{"basic through credHelpers", "basic", func(t *testing.T) {
			credentialHelper(t, "devtest", reg.Host)
			dockerConfig(t, fmt.Sprintf(`{"credHelpers":{%q:"devtest"}}`, reg.Host))
		}},
		{"bearer through credsStore", "bearer", func(t *testing.T) {
			credentialHelper(t, "devstore", reg.Host)
			dockerConfig(t, `{"credsStore":"devstore"}`)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reg.setAuth(c.auth)
			defer reg.setAuth("")
			c.setup(t)
			removeImage(t, e, ref)
			s := newTestStack(t, "auth")
			log, err := upLog(t, e, policyStack(s, ref, ""), UpOptions{})
			assertNoSecret(t, err, log)
			if err != nil || !pulledImage(log, ref) {
				t.Fatalf("got err %v pulled %v, want a pull with the credentials", err, pulledImage(log, ref))
			}
		})
	}
}

func TestPullWithoutCredentialsIsUnauthorized(t *testing.T) {
	e := testEngine(t)
	reg := startRegistry(t)
	removeImagesAtCleanup(t, e, reg.Host)
	ref, _ := reg.pushRandom(t, e, "private/app:v1", time.Now(), 64<<10)
	for _, auth := range []string{"basic", "bearer"} {
		t.Run(auth, func(t *testing.T) {
			reg.setAuth(auth)
			dockerConfig(t, `{}`)
			s := newTestStack(t, "noauth")
			log, err := upLog(t, e, policyStack(s, ref, ""), UpOptions{})
			if !errors.Is(err, ErrUnauthorized) {
				t.Fatalf("got %v, want ErrUnauthorized", err)
			}
			t.Logf("error: %v", err)
			if want := "docker login " + reg.Host; !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
			assertNothingCreated(t, s)
			// Wrong credentials: the same, and the password stays out of it.
			dockerConfig(t, fmt.Sprintf(`{"auths":{%q:{"username":%q,"password":%q}}}`, reg.Host, regUser, regPass+"-wrong"))
			log, err = upLog(t, e, policyStack(s, ref, ""), UpOptions{})
			if !errors.Is(err, ErrUnauthorized) {
				t.Errorf("wrong password: got %v, want ErrUnauthorized", err)
			}
			assertNoSecret(t, err, log)
			if err != nil && strings.Contains(err.Error(), regPass+"-wrong") {
				t.Errorf("the error shows the wrong password: %v", err)
			}
			assertNothingCreated(t, s)
		})
	}
}
