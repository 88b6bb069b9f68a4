package stack

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	bkclient "github.com/moby/buildkit/client"
)

// buildxChecked caches, per docker CLI config folder (where plugins are
// found), whether `docker buildx` works.
var buildxChecked sync.Map

// buildxPresent reports whether `docker buildx` works, checked once per
// docker CLI config folder.
func buildxPresent() bool {
	dir := dockerConfigDir()
	if ok, done := buildxChecked.Load(dir); done {
		return ok.(bool)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ok := exec.CommandContext(ctx, "docker", "buildx", "version").Run() == nil
	buildxChecked.Store(dir, ok)
	return ok
}

// selectedBuildxBuilder is the builder the user chose with `docker buildx
// use` (or BUILDX_BUILDER) for the engine at host, or "" when they kept the
// default, which is the engine's own BuildKit. It reads buildx's own state
// file rather than running the plugin.
func selectedBuildxBuilder(host string) string {
	if b := os.Getenv("BUILDX_BUILDER"); b != "" && b != "default" {
		return b
	}
	dir := os.Getenv("BUILDX_CONFIG")
	if dir == "" {
		dir = filepath.Join(dockerConfigDir(), "buildx")
	}
	raw, err := os.ReadFile(filepath.Join(dir, "current"))
	if err != nil {
		return ""
	}
	var cur struct {
		Key    string
		Name   string
		Global bool
	}
	if json.Unmarshal(raw, &cur) != nil || cur.Name == "" || cur.Name == "default" {
		return ""
	}
	if !cur.Global && cur.Key != host {
		return ""
	}
	// A builder removed since it was selected falls back to the default.
	if _, err := os.Stat(filepath.Join(dir, "instances", cur.Name)); err != nil {
		return ""
	}
	return cur.Name
}

// dockerConfigDir is the docker CLI's configuration folder.
func dockerConfigDir() string {
	if d := os.Getenv("DOCKER_CONFIG"); d != "" {
		return d
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".docker")
}

// buildxArgs is the docker command line that builds req with buildx and
// loads the result into the engine's image store. Progress comes as
// BuildKit's raw status JSON, parsed like the engine's own stream.
func buildxArgs(req buildRequest) []string {
	args := []string{"buildx", "build", "--load", "--progress", "rawjson"}
	for _, tag := range req.tags {
		args = append(args, "-t", tag)
	}
	if req.target != "" {
		args = append(args, "--target", req.target)
	}
	switch {
	case req.dockerfile.path != "":
		args = append(args, "-f", req.dockerfile.path)
	case req.dockerfile.content != nil:
		args = append(args, "-f", "-")
	case req.remoteDockerfile != "":
		args = append(args, "-f", req.remoteDockerfile)
	}
	for _, k := range sortedKeys(req.args) {
		if v := req.args[k]; v != nil {
			args = append(args, "--build-arg", k+"="+*v)
		} else {
			args = append(args, "--build-arg", k)
		}
	}
	for _, k := range sortedKeys(req.labels) {
		args = append(args, "--label", k+"="+req.labels[k])
	}
	for _, h := range req.extraHosts {
		args = append(args, "--add-host", h)
	}
	for _, k := range sortedKeys(req.contexts) {
		args = append(args, "--build-context", k+"="+req.contexts[k])
	}
	for _, s := range req.secrets {
		if s.FilePath != "" {
			args = append(args, "--secret", "id="+s.ID+",src="+s.FilePath)
		} else {
			args = append(args, "--secret", "id="+s.ID+",env="+s.Env)
		}
	}
	for _, s := range req.ssh {
		args = append(args, "--ssh", strings.TrimSuffix(s.ID+"="+strings.Join(s.Paths, ","), "="))
	}
	args = append(args, buildxFlagArgs(req)...)
	return append(args, req.contextDir)
}

// buildxFlagArgs are the single-valued options.
func buildxFlagArgs(req buildRequest) []string {
	var args []string
	if req.network != "" {
		args = append(args, "--network", req.network)
	}
	if req.shmSize > 0 {
		args = append(args, "--shm-size", fmt.Sprint(req.shmSize))
	}
	for _, u := range req.ulimits {
		args = append(args, "--ulimit", u)
	}
	if req.platform != "" {
		args = append(args, "--platform", req.platform)
	}
	for _, c := range req.settings.CacheFrom {
		args = append(args, "--cache-from", c)
	}
	for _, c := range req.settings.CacheTo {
		args = append(args, "--cache-to", c)
	}
	if req.privileged {
		args = append(args, "--allow", "security.insecure")
	}
	if req.noCache {
		args = append(args, "--no-cache")
	}
	for _, f := range req.noCacheFilter {
		args = append(args, "--no-cache-filter", f)
	}
	if req.pull {
		args = append(args, "--pull")
	}
	return args
}

// buildWithBuildx runs `docker buildx build` with the builder the user
// selected. Its status stream is parsed into steps like the engine's own;
// cancelling ctx stops the whole process group (the docker CLI runs the
// plugin as a child process).
func (e *Engine) buildWithBuildx(ctx context.Context, req buildRequest, progress ProgressFunc) error {
	cmd := exec.Command("docker", buildxArgs(req)...)
	cmd.Env = append(os.Environ(), "DOCKER_HOST="+e.Host, "BUILDX_NO_DEFAULT_ATTESTATIONS=1")
	if req.dockerfile.path == "" && req.dockerfile.content != nil {
		cmd.Stdin = strings.NewReader(string(req.dockerfile.content))
	}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	startInGroup(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start docker buildx: %w", err)
	}
	stop := context.AfterFunc(ctx, func() { stopGroup(cmd) })
	defer stop()
	waitErr := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		pw.Close()
		waitErr <- err
	}()
	tracker := newBuildTracker(req, progress)
	other := readBuildxOutput(pr, tracker)
	tracker.finish()
	// Drain whatever is left so Wait is never blocked on a full pipe.
	io.Copy(io.Discard, pr)
	err := <-waitErr
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("build stopped: %w", ctxErr)
	}
	return fmt.Errorf("docker buildx (builder %s): %w", req.builder, tracker.explain(buildxError(other, err), req.dockerfile))
}

// readBuildxOutput feeds the JSON status lines to the tracker and returns
// the other lines (buildx's own messages and errors).
func readBuildxOutput(r io.Reader, tracker *buildTracker) []string {
	var other []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) > 0 && line[0] == '{' {
			var st bkclient.SolveStatus
			if json.Unmarshal(line, &st) == nil {
				tracker.update(&st)
				continue
			}
		}
		text := strings.TrimSpace(string(line))
		if text != "" {
			other = append(other, text)
			tracker.progress.report(Progress{Kind: ProgressOutput, Service: tracker.service, Text: text})
		}
	}
	return other
}

// buildxError is buildx's own error line, or the exit status.
func buildxError(lines []string, exitErr error) error {
	for _, l := range lines {
		if msg, ok := strings.CutPrefix(l, "ERROR: "); ok {
			return errors.New(msg)
		}
	}
	if len(lines) > 0 {
		return fmt.Errorf("%s (%w)", lines[len(lines)-1], exitErr)
	}
	return exitErr
}
