package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

// globals are the flags that come before the verb, as with docker compose.
type globals struct {
	files      []string
	project    string
	projectDir string
	envFiles   []string
	profiles   []string
	host       string
	noColor    bool
	// verb is the subcommand being run; it decides whether the compose
	// file's warnings are printed (see warnsAbout).
	verb string
	// watch opens the dashboard with develop.watch on (up --watch).
	watch bool

	stdout io.Writer
	stderr io.Writer
}

func newRootCmd() *cobra.Command {
	g := &globals{stdout: os.Stdout, stderr: os.Stderr}
	root := &cobra.Command{
		Use:   "devstack",
		Short: "Run and watch a Docker Compose stack from one screen",
		Long: "devstack builds and starts the compose stack of the current folder and shows every\n" +
			"service live: state, health, ports, CPU, memory, I/O and logs. Its verbs mirror docker compose's.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDashboard(cmd.Context(), g)
		},
	}
	root.SetOut(g.stdout)
	root.SetErr(g.stderr)
	root.PersistentPreRun = func(cmd *cobra.Command, _ []string) { g.verb = cmd.Name() }
	// Global flags are the root's own and must come before the verb, as with
	// docker compose: TraverseChildren parses them on the way to the verb,
	// which frees -f for `logs -f` (follow) the way compose has it.
	root.TraverseChildren = true
	f := root.Flags()
	f.StringArrayVarP(&g.files, "file", "f", nil, "compose configuration files (repeatable)")
	f.StringVarP(&g.project, "project-name", "p", "", "project name")
	f.StringVar(&g.projectDir, "project-directory", "", "alternate working directory (default: the first file's folder)")
	f.StringArrayVar(&g.envFiles, "env-file", nil, "alternate environment files (repeatable)")
	f.StringArrayVar(&g.profiles, "profile", nil, "profiles to enable (repeatable)")
	f.StringVarP(&g.host, "host", "H", "", "engine address (default: DOCKER_HOST or the current docker context)")
	// The one place NO_COLOR is read: every printer and the screen take
	// g.noColor.
	f.BoolVar(&g.noColor, "no-color", os.Getenv("NO_COLOR") != "", "plain output without colours (default: on when NO_COLOR is set)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if c != root && strings.Contains(err.Error(), "unknown") {
			for _, name := range []string{"-f", "--file", "-p", "--project-name", "--project-directory", "--env-file", "--profile", "-H", "--host"} {
				if strings.Contains(err.Error(), "'"+strings.TrimPrefix(name, "-")+"'") || strings.HasSuffix(err.Error(), " "+name) {
					return fmt.Errorf("%w: %s is a global flag: put it before the verb, as in `devstack %s … %s`", err, name, name, c.Name())
				}
			}
		}
		return err
	})
	root.AddCommand(commands(g)...)
	return root
}

// loadOptions turns the global flags into stack.LoadOptions.
func (g *globals) loadOptions(services []string) stack.LoadOptions {
	return stack.LoadOptions{
		Files:       g.files,
		WorkingDir:  g.projectDir,
		ProjectName: g.project,
		EnvFiles:    g.envFiles,
		Profiles:    g.profiles,
		Services:    services,
	}
}

// warnsAbout are the verbs that print the compose file's warnings (the
// legacy format, keys devstack does not apply yet): those that apply or
// check the file. The others only look at the running stack; repeating the
// same lines on every ps, logs or exec would train people to skip them.
var warnsAbout = map[string]bool{"up": true, "config": true, "build": true}

// load reads the project and prints its warnings when the verb is one
// that applies or checks the file.
func (g *globals) load(ctx context.Context, services ...string) (*stack.Project, error) {
	p, err := stack.Load(ctx, g.loadOptions(services))
	if err != nil {
		return nil, err
	}
	if warnsAbout[g.verb] {
		for _, w := range p.Warnings {
			fmt.Fprintln(g.stderr, "warning:", w)
		}
	}
	return p, nil
}

// connect opens the engine named by --host, DOCKER_HOST or the context.
func (g *globals) connect(ctx context.Context) (*stack.Engine, error) {
	return stack.Connect(ctx, stack.ConnectOptions{Host: g.host})
}

// loadAndConnect loads the project with only the named services active
// (what up, pull, push and watch act on) and connects to the engine; the
// caller closes the engine.
func (g *globals) loadAndConnect(ctx context.Context, services []string) (*stack.Project, *stack.Engine, error) {
	p, err := g.load(ctx, services...)
	if err != nil {
		return nil, nil, err
	}
	e, err := g.connect(ctx)
	if err != nil {
		return nil, nil, err
	}
	return p, e, nil
}

// loadOrName loads the project. With no compose file but -p NAME it returns
// a nil project and the name, for verbs that work from labels alone.
func (g *globals) loadOrName(ctx context.Context) (*stack.Project, string, error) {
	p, err := g.load(ctx)
	if err == nil {
		return p, p.Name, nil
	}
	if errors.Is(err, stack.ErrNoComposeFile) && g.project != "" {
		return nil, g.project, nil
	}
	return nil, "", err
}

// openFor is open for a verb given service names: a name the project does
// not have is an error naming the services it has — checked against the
// compose file before connecting, or, with no file (-p NAME), against the
// project's containers.
func (g *globals) openFor(ctx context.Context, needFile bool, services []string) (*stack.Project, string, *stack.Engine, error) {
	p, name, err := g.loadOrName(ctx)
	switch {
	case err == nil && p == nil && needFile:
		_, err = g.load(ctx) // the "no compose file" error, with its advice
	case err == nil && p != nil:
		err = p.CheckServices(services...)
	}
	if err != nil {
		return nil, "", nil, err
	}
	e, err := g.connect(ctx)
	if err != nil {
		return nil, "", nil, err
	}
	if p == nil && len(services) > 0 {
		if err := checkServicesRunning(ctx, e, name, services); err != nil {
			e.Close()
			return nil, "", nil, err
		}
	}
	return p, name, e, nil
}

// checkServicesRunning checks service names against the services of the
// project's containers, for a project known only by name.
func checkServicesRunning(ctx context.Context, e *stack.Engine, project string, services []string) error {
	cs, err := e.Ps(ctx, project, stack.PsOptions{All: true})
	if err != nil {
		return err
	}
	var known []string
	for _, c := range cs {
		known = append(known, c.Service)
	}
	return stack.CheckServiceNames(project, known, services)
}

// open loads the project (needFile: a compose file is required) and
// connects to the engine; the caller closes the engine.
func (g *globals) open(ctx context.Context, needFile bool) (*stack.Project, string, *stack.Engine, error) {
	var (
		p    *stack.Project
		name string
		err  error
	)
	if needFile {
		p, err = g.load(ctx)
		if p != nil {
			name = p.Name
		}
	} else {
		p, name, err = g.loadOrName(ctx)
	}
	if err != nil {
		return nil, "", nil, err
	}
	e, err := g.connect(ctx)
	if err != nil {
		return nil, "", nil, err
	}
	return p, name, e, nil
}
