package stack

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
)

// buildKitUse is one place where a Dockerfile needs BuildKit.
type buildKitUse struct {
	Line    int
	Feature string
}

// classicFlags are the instruction flags the classic builder understands;
// any other flag on these instructions is BuildKit syntax. (The classic
// builder rejects --chmod with "requires BuildKit" on every engine version,
// and fails on --link, --mount, --network, --security, --parents, --exclude,
// --checksum and --keep-git-dir.)
var classicFlags = map[string]map[string]bool{
	"FROM": {"platform": true},
	"RUN":  {},
	"COPY": {"from": true, "chown": true},
	"ADD":  {"chown": true},
}

// buildKitFeatures lists the uses of BuildKit-only syntax in a Dockerfile,
// in line order.
func buildKitFeatures(df *dockerfile) []buildKitUse {
	var uses []buildKitUse
	for _, step := range df.Steps {
		if step.Cmd == "ONBUILD" {
			inner := dfSplit(step.Args, step.Line)
			inner.Heredocs = step.Heredocs
			step = *inner
		}
		allowed, checked := classicFlags[step.Cmd]
		if !checked {
			continue
		}
		for _, f := range step.Flags {
			if !allowed[f.Name] {
				uses = append(uses, buildKitUse{Line: step.Line, Feature: fmt.Sprintf("%s --%s", step.Cmd, f.Name)})
			}
		}
		if len(step.Heredocs) > 0 {
			uses = append(uses, buildKitUse{Line: step.Line, Feature: fmt.Sprintf("%s heredoc <<%s", step.Cmd, step.Heredocs[0])})
		}
	}
	return uses
}

// classicBuildSettings rejects build: keys only BuildKit implements, the
// way compose's classic builder does.
func classicBuildSettings(b *types.BuildConfig) error {
	var keys []string
	if len(b.Platforms) > 1 {
		keys = append(keys, "platforms (more than one)")
	}
	if b.Privileged {
		keys = append(keys, "privileged")
	}
	if len(b.AdditionalContexts) > 0 {
		keys = append(keys, "additional_contexts")
	}
	if len(b.SSH) > 0 {
		keys = append(keys, "ssh")
	}
	if len(b.Secrets) > 0 {
		keys = append(keys, "secrets")
	}
	if len(keys) == 0 {
		return nil
	}
	return fmt.Errorf("build.%s: %w; install the docker buildx plugin so devstack can build with BuildKit",
		strings.Join(keys, ", build."), ErrNeedsBuildKit)
}

// needsBuildKitError names the first BuildKit-only use and how to fix it.
func needsBuildKitError(dockerfileName string, uses []buildKitUse) error {
	u := uses[0]
	more := ""
	if len(uses) > 1 {
		more = fmt.Sprintf(" (and %d more)", len(uses)-1)
	}
	return fmt.Errorf("%s:%d: %s%s: %w; install the docker buildx plugin so devstack can build with BuildKit, or rewrite the Dockerfile for the classic builder",
		dockerfileName, u.Line, u.Feature, more, ErrNeedsBuildKit)
}

// buildxPresent reports once per process whether `docker buildx` works.
var buildxPresent = sync.OnceValue(func() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return exec.CommandContext(ctx, "docker", "buildx", "version").Run() == nil
})

// buildxAvailable says whether builds go through BuildKit's buildx plugin,
// as compose decides: present, and not switched off with DOCKER_BUILDKIT=0.
func buildxAvailable() bool {
	if v, ok := os.LookupEnv("DOCKER_BUILDKIT"); ok {
		if on, err := strconv.ParseBool(v); err == nil && !on {
			return false
		}
	}
	return buildxPresent()
}

// buildxArgs is the docker command line that builds req with buildx and
// loads the result into the engine's image store.
func buildxArgs(req buildRequest) []string {
	args := []string{"buildx", "build", "--load", "--progress", "plain"}
	for _, tag := range req.tags {
		args = append(args, "-t", tag)
	}
	if req.target != "" {
		args = append(args, "--target", req.target)
	}
	if req.dockerfile.path == "" {
		args = append(args, "-f", "-")
	} else {
		args = append(args, "-f", req.dockerfile.path)
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
	if req.network != "" {
		args = append(args, "--network", req.network)
	}
	if req.noCache {
		args = append(args, "--no-cache")
	}
	if req.pull {
		args = append(args, "--pull")
	}
	return append(args, req.contextDir)
}

// buildWithBuildx runs `docker buildx build` against this engine and
// reports each output line as it comes.
func (e *Engine) buildWithBuildx(ctx context.Context, req buildRequest, progress ProgressFunc) error {
	cmd := exec.CommandContext(ctx, "docker", buildxArgs(req)...)
	cmd.Env = append(os.Environ(), "DOCKER_HOST="+e.Host)
	if req.dockerfile.path == "" {
		cmd.Stdin = strings.NewReader(string(req.dockerfile.content))
	}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start docker buildx: %w", err)
	}
	waitErr := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		pw.Close()
		waitErr <- err
	}()
	var errLines []string
	sc := bufio.NewScanner(pr)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "ERROR") {
			errLines = append(errLines, line)
		}
		progress.report(outputProgress(req.service, line))
	}
	// Drain whatever is left so Wait is never blocked on a full pipe.
	io.Copy(io.Discard, pr)
	if err := <-waitErr; err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("build stopped: %w", ctxErr)
		}
		if len(errLines) > 0 {
			return fmt.Errorf("docker buildx: %s", strings.Join(errLines, "; "))
		}
		return fmt.Errorf("docker buildx: %w", err)
	}
	return nil
}
