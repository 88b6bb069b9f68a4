package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// CopyOptions describe a copy between a service's container and this
// machine, like `docker compose cp`. One side of Source and Destination is
// SERVICE:PATH (or SERVICE-INDEX:PATH), the other a local path or "-" (a
// tar archive on Stdin or Stdout).
type CopyOptions struct {
	Source, Destination string
	// Index picks a container by number (0: every container when copying
	// to the service, the first one when copying from it).
	Index int
	// All includes one-off containers (`run`).
	All bool
	// FollowLink follows a symbolic link given as the source.
	FollowLink bool
	// CopyUIDGID keeps the files' owners (archive mode, -a).
	CopyUIDGID bool
	// Stdin and Stdout carry the archive when a local side is "-".
	Stdin  io.Reader
	Stdout io.Writer
	// Progress receives each container copied.
	Progress ProgressFunc
}

// Copy copies files or folders between a service's containers and the
// local filesystem. Archives are streamed, never held in memory. p may be
// nil.
func (e *Engine) Copy(ctx context.Context, project string, p *Project, opts CopyOptions) error {
	if err := e.copy(ctx, project, p, opts); err != nil {
		return fmt.Errorf("cp %s: %w", project, err)
	}
	return nil
}

func (e *Engine) copy(ctx context.Context, project string, p *Project, opts CopyOptions) error {
	srcService, srcPath := splitCopyArg(opts.Source)
	dstService, dstPath := splitCopyArg(opts.Destination)
	switch {
	case srcService != "" && dstService != "":
		return errors.New("copying between services is not supported: copy to a local folder first")
	case srcService == "" && dstService == "":
		return fmt.Errorf("neither %q nor %q names a service: write SERVICE:PATH on one side", opts.Source, opts.Destination)
	}
	service, from := dstService, false
	if srcService != "" {
		service, from = srcService, true
	}
	cs, err := e.copyTargets(ctx, project, p, service, from, opts)
	if err != nil {
		return err
	}
	return eachSummary(cs, func(c container.Summary) error {
		name := containerName(c)
		var err error
		if from {
			err = e.copyFromContainer(ctx, c.ID, srcPath, dstPath, opts)
		} else {
			err = e.copyToContainer(ctx, c.ID, srcPath, dstPath, opts)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		opts.Progress.report(Progress{Kind: ProgressCopied, Service: service, Subject: name,
			Text: fmt.Sprintf("%s to %s", opts.Source, opts.Destination)})
		return nil
	})
}

// numberedService reads SERVICE-INDEX, devstack's short form of --index.
var numberedService = regexp.MustCompile(`^(.+)-([0-9]+)$`)

// copyTargets are the containers a copy involves: the chosen one, or
// every container of the service when copying to it and the first one
// when copying from it, as compose does.
func (e *Engine) copyTargets(ctx context.Context, project string, p *Project, service string, from bool, opts CopyOptions) ([]container.Summary, error) {
	cs, err := e.targets(ctx, project, p, targetOptions{services: []string{service}, oneOff: opts.All})
	if errors.Is(err, ErrUnknownService) && opts.Index == 0 {
		if m := numberedService.FindStringSubmatch(service); m != nil {
			opts.Index, _ = strconv.Atoi(m[2])
			if withIndex, err2 := e.targets(ctx, project, p, targetOptions{services: []string{m[1]}, oneOff: opts.All}); err2 == nil {
				cs, err, service = withIndex, nil, m[1]
			}
		}
	}
	if err != nil {
		return nil, err
	}
	var out []container.Summary
	for _, c := range cs {
		if opts.Index == 0 || c.Labels[labelNumber] == strconv.Itoa(opts.Index) && c.Labels[labelOneOff] != "True" {
			out = append(out, c)
		}
	}
	switch {
	case len(out) == 0 && opts.Index > 0:
		return nil, fmt.Errorf("service %q has no container #%d (see `devstack ps -a`): %w", service, opts.Index, ErrNotCreated)
	case len(out) == 0:
		return nil, fmt.Errorf("service %q has no container (create it with `devstack up -d %s`): %w", service, service, ErrNotCreated)
	case from:
		return out[:1], nil
	}
	return out, nil
}

// copyFromContainer streams a container path to a local path (or the raw
// archive to Stdout): the engine's tar stream is extracted as it arrives.
func (e *Engine) copyFromContainer(ctx context.Context, id, srcPath, dstPath string, opts CopyOptions) error {
	if dstPath != "-" {
		abs, err := localPath(dstPath)
		if err != nil {
			return err
		}
		dstPath = abs
	}
	var rebaseName string
	if opts.FollowLink {
		if st, err := e.api.ContainerStatPath(ctx, id, client.ContainerStatPathOptions{Path: srcPath}); err == nil && st.Stat.Mode&os.ModeSymlink != 0 {
			srcPath, rebaseName = followedName(srcPath, containerLinkTarget(srcPath, st.Stat.LinkTarget))
		}
	}
	res, err := e.api.CopyFromContainer(ctx, id, client.CopyFromContainerOptions{SourcePath: srcPath})
	if err != nil {
		return err
	}
	defer res.Content.Close()
	if dstPath == "-" {
		_, err = io.Copy(opts.Stdout, res.Content)
		return err
	}
	// The engine names the archive's top entry after the path it read; a
	// followed link keeps the link's name instead.
	var followed func(string) string
	if rebaseName != "" {
		_, base := splitPathDirEntry(srcPath)
		followed = rebaser(base, rebaseName)
	}
	dst, err := destinationInfo(dstPath)
	if err != nil {
		return err
	}
	src := copyInfo{path: srcPath, exists: true, isDir: res.Stat.Mode.IsDir(), rebaseName: rebaseName}
	dir, rename, err := prepareCopy(src, dst)
	if err != nil {
		return err
	}
	return extractTar(res.Content, dir, chainRenames(followed, rename))
}

// copyToContainer streams a local path (or an archive from Stdin) into a
// container: the tar is written by a goroutine as the engine reads it.
func (e *Engine) copyToContainer(ctx context.Context, id, srcPath, dstPath string, opts CopyOptions) error {
	dst := copyInfo{path: dstPath}
	st, err := e.api.ContainerStatPath(ctx, id, client.ContainerStatPathOptions{Path: dstPath})
	if err == nil && st.Stat.Mode&os.ModeSymlink != 0 {
		dst.path = containerLinkTarget(dstPath, st.Stat.LinkTarget)
		st, err = e.api.ContainerStatPath(ctx, id, client.ContainerStatPathOptions{Path: dst.path})
	}
	if err == nil {
		if !st.Stat.Mode.IsDir() && !st.Stat.Mode.IsRegular() {
			return fmt.Errorf("destination %q must be a folder or a regular file", dstPath)
		}
		dst.exists, dst.isDir = true, st.Stat.Mode.IsDir()
	}
	if srcPath == "-" {
		if !dst.isDir {
			return fmt.Errorf("destination %q must be an existing folder to extract an archive into", dstPath)
		}
		_, err = e.api.CopyToContainer(ctx, id, client.CopyToContainerOptions{DestinationPath: dst.path, Content: opts.Stdin, CopyUIDGID: opts.CopyUIDGID})
		return err
	}
	abs, err := localPath(srcPath)
	if err != nil {
		return err
	}
	src, err := sourceInfo(abs, opts.FollowLink)
	if err != nil {
		return err
	}
	dir, rename, err := prepareCopy(src, dst)
	if err != nil {
		return err
	}
	content, packed := packedSource(src, rename)
	_, err = e.api.CopyToContainer(ctx, id, client.CopyToContainerOptions{DestinationPath: dir, Content: content, CopyUIDGID: opts.CopyUIDGID})
	content.Close()
	// A failed walk makes the engine's read fail too; its own error says more.
	if perr := packed(); perr != nil {
		return perr
	}
	return err
}

// containerLinkTarget makes a link's target absolute, relative to the
// link's folder.
func containerLinkTarget(link, target string) string {
	if filepath.IsAbs(target) {
		return target
	}
	dir, _ := splitPathDirEntry(link)
	return filepath.Join(dir, target)
}

// splitCopyArg splits SERVICE:PATH; an absolute path, a path starting
// with a dot or one without a colon is local.
func splitCopyArg(arg string) (service, path string) {
	if filepath.IsAbs(arg) {
		return "", arg
	}
	service, path, ok := strings.Cut(arg, ":")
	if !ok || strings.HasPrefix(service, ".") {
		return "", arg
	}
	return service, path
}

// localPath makes a local path absolute, keeping a trailing "/" or "/."
// that tells the copy to use the folder's contents.
func localPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return preserveTrailingDotOrSeparator(abs, p), nil
}
