package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/devstack/devstack/stack"
)

// inspectPane shows everything about the selected service, scrollable.
type inspectPane struct {
	key           string
	lines         []string
	offset        int
	width, height int
}

func (p *inspectPane) setSize(w, h int) { p.width, p.height = w, max(h, 0); p.scroll(0) }

// show fills the pane for a row; the offset is kept for the same row.
func (p *inspectPane) show(r row, now time.Time, h *history) {
	if r.key != p.key {
		p.offset = 0
	}
	p.key = r.key
	p.lines = inspectLines(r, now, h)
	p.scroll(0)
}

func (p *inspectPane) scroll(n int) {
	p.offset = max(0, min(p.offset+n, len(p.lines)-p.height))
}

func (p *inspectPane) view(st styles) string {
	out := make([]string, 0, p.height)
	for i := p.offset; i < len(p.lines) && len(out) < p.height; i++ {
		l := p.lines[i]
		if l != "" && l[0] != ' ' {
			l = st.title.Render(fit(l, p.width))
		} else {
			l = fit(l, p.width)
		}
		out = append(out, l)
	}
	for len(out) < p.height {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}

// inspectLines is the pane's content: section titles start at column 0,
// their entries are indented.
func inspectLines(r row, now time.Time, h *history) []string {
	var l []string
	add := func(format string, a ...any) { l = append(l, fmt.Sprintf(format, a...)) }
	svc := r.svc
	if svc == nil {
		svc = &stack.Service{Name: r.service}
	}
	title := r.service
	if r.c.Name != "" {
		title += "  " + r.c.Name
	}
	add("%s", title)
	add("  state      %s", stateText(r))
	if r.c.ID != "" {
		created := ""
		if !r.c.Created.IsZero() {
			created = "   created " + humanDuration(now.Sub(r.c.Created)) + " ago"
		}
		add("  container  %.12s%s", r.c.ID, created)
	}
	if r.c.Listed {
		add("  (asking the engine for the rest…)")
	}
	if r.c.Running() && !r.c.StartedAt.IsZero() {
		add("  up         %s   restarts %d", humanDuration(now.Sub(r.c.StartedAt)), r.restarts())
	}
	add("Image")
	add("  %s", imageText(r))
	if b := svc.Build; b != nil {
		target := b.Target
		if target == "" {
			target = "(last stage)"
		}
		add("  build %s  dockerfile %s  target %s", b.Context, b.Dockerfile, target)
		if r.c.Stage != "" {
			add("  runs stage %s", r.c.Stage)
		}
	}
	if len(svc.Entrypoint) > 0 {
		add("  entrypoint %s", strings.Join(svc.Entrypoint, " "))
	}
	if len(svc.Command) > 0 {
		add("  command    %s", strings.Join(svc.Command, " "))
	}
	if svc.User != "" || svc.WorkingDir != "" || svc.Restart != "" {
		add("  user %q  workdir %q  restart %q", svc.User, svc.WorkingDir, svc.Restart)
	}
	l = append(l, resourceLines(r, svc, h)...)
	l = append(l, portLines(r, svc)...)
	l = append(l, mountLines(r, svc)...)
	l = append(l, envLines(stack.EffectiveEnv(*svc, r.c.Env))...)
	if len(svc.Networks) > 0 {
		add("Networks")
		for _, n := range svc.Networks {
			aliases := ""
			if len(n.Aliases) > 0 {
				aliases = "  aliases " + strings.Join(n.Aliases, ", ")
			}
			add("  %s%s", n.Network, aliases)
		}
	}
	if len(svc.DependsOn) > 0 {
		add("Depends on")
		for _, d := range svc.DependsOn {
			add("  %s (%s)", d.Service, d.Condition)
		}
	}
	return l
}

func resourceLines(r row, svc *stack.Service, h *history) []string {
	lim := svc.Limits
	l := []string{"Resources"}
	cpuLim := "no limit"
	if lim.CPUs > 0 {
		cpuLim = fmt.Sprintf("limit %.2f CPUs", lim.CPUs)
	}
	memLim := "no limit"
	if lim.MemoryBytes > 0 {
		memLim = "limit " + humanBytes(lim.MemoryBytes)
	}
	cpuNow, memNow := "-", "-"
	if r.has {
		cpuNow = fmt.Sprintf("%.1f%%", r.stats.CPUPercent)
		memNow = memText(r)
	}
	l = append(l,
		fmt.Sprintf("  cpu  %s %-16s %s", sparkline(h.cpu(r.key), r.cpuScale(h), 30), cpuNow, cpuLim),
		fmt.Sprintf("  mem  %s %-16s %s", sparkline(h.mem(r.key), r.memScale(), 30), memNow, memLim))
	if lim.Pids > 0 {
		l = append(l, fmt.Sprintf("  pids limit %d", lim.Pids))
	}
	return l
}

func portLines(r row, svc *stack.Service) []string {
	ports := r.c.Ports
	if r.c.ID == "" {
		ports = svc.Ports
	}
	if len(ports) == 0 {
		return nil
	}
	l := []string{"Ports"}
	for _, p := range ports {
		l = append(l, "  "+p.String())
	}
	return l
}

func mountLines(r row, svc *stack.Service) []string {
	mounts := r.c.Mounts
	if len(mounts) == 0 {
		mounts = svc.Mounts
	}
	if len(mounts) == 0 {
		return nil
	}
	l := []string{"Mounts"}
	for _, m := range mounts {
		mode := "rw"
		if m.ReadOnly {
			mode = "ro"
		}
		src := m.Source
		switch {
		case m.Kind == stack.MountTmpfs && m.TmpfsSize > 0:
			src = "size " + humanBytes(m.TmpfsSize)
		case m.Kind == stack.MountTmpfs:
			src = "no size limit"
		case src == "":
			src = "(anonymous)"
		}
		l = append(l, fmt.Sprintf("  %-6s %s -> %s  %s", m.Kind, src, m.Target, mode))
	}
	return l
}

// envLines lists a service's environment with each value's origin;
// secrets are masked.
func envLines(env []stack.EnvVar) []string {
	if len(env) == 0 {
		return nil
	}
	w := 0
	for _, e := range env {
		w = max(w, len(e.Name)+len(e.Value)+1)
	}
	w = min(w, 48)
	l := []string{"Environment"}
	for _, e := range env {
		v := e.Value
		if e.Secret {
			v = "••••••"
		}
		src := string(e.Source)
		if e.File != "" {
			src += " " + e.File
		}
		l = append(l, fmt.Sprintf("  %-*s  %s", w, e.Name+"="+v, src))
	}
	return l
}
