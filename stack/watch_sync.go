package stack

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// syncPath is one changed host path and where it goes in the container.
type syncPath struct {
	host, container string
	created         bool
}

// syncResult counts what one sync did.
type syncResult struct {
	files, deleted, containers int
	bytes                      int64
}

// maxRmArgs bounds the paths of one `rm -rf`, well under the kernel's
// argument limit; a checkout deleting more takes a few execs.
const maxRmArgs = 2000

// syncFiles copies the changed files into every running container of the
// service as one tar archive per container (one CopyToContainer call,
// however many files), and removes the deleted ones with one `rm -rf`
// exec, as Compose's tar syncer does. The engine gives the copied files
// and new folders the container user's ownership (copyUIDGID, as Compose).
// With helpers, a batch goes through the container's helper shell first
// (watch_helper.go), and the engine's way only when that fails.
func (e *Engine) syncFiles(ctx context.Context, project, service string, paths []syncPath, hp *helperPool) (syncResult, error) {
	var res syncResult
	cs, err := e.runningOf(ctx, project, service)
	if err != nil {
		return res, err
	}
	res.containers = len(cs)
	var copies []syncPath
	var deletes []string
	for _, p := range dedupeSync(paths) {
		switch _, err := os.Lstat(p.host); {
		case err == nil:
			copies = append(copies, p)
		case errors.Is(err, fs.ErrNotExist):
			if !p.created {
				deletes = append(deletes, p.container)
			}
		default:
			return res, fmt.Errorf("sync %s: %w", p.host, err)
		}
	}
	archive, files, size, err := tarOf(copies, false)
	if err != nil {
		return res, err
	}
	res.files, res.bytes, res.deleted = files, size, len(deletes)
	if len(cs) == 0 {
		return res, nil
	}
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Go(func() {
			if hp != nil && hp.apply(ctx, c.ID, archive, deletes) == nil {
				return
			}
			errs[i] = e.syncInto(ctx, c, copies, archive, deletes)
		})
	}
	wg.Wait()
	return res, errors.Join(errs...)
}

// syncInto applies one batch to one container.
func (e *Engine) syncInto(ctx context.Context, c container.Summary, copies []syncPath, archive []byte, deletes []string) error {
	name := engineName(firstName(c))
	for len(deletes) > 0 {
		n := min(len(deletes), maxRmArgs)
		if err := e.execQuiet(ctx, c.ID, append([]string{"rm", "-rf"}, deletes[:n]...)); err != nil {
			return fmt.Errorf("delete %d paths in %s: %w", n, name, err)
		}
		deletes = deletes[n:]
	}
	if len(copies) == 0 {
		return nil
	}
	err := e.untar(ctx, c.ID, archive)
	if err != nil && strings.Contains(err.Error(), "cannot overwrite non-directory") {
		// A folder entry clashes with a file of that name in the
		// container; Compose retries without the folders implied by the
		// files, and so does devstack.
		retry, _, _, terr := tarOf(copies, true)
		if terr != nil {
			return terr
		}
		err = errors.Join(err, e.untar(ctx, c.ID, retry))
	}
	if err != nil {
		return fmt.Errorf("copy %d paths into %s: %w", len(copies), name, err)
	}
	return nil
}

func (e *Engine) untar(ctx context.Context, id string, archive []byte) error {
	_, err := e.api.CopyToContainer(ctx, id, client.CopyToContainerOptions{
		DestinationPath: "/", Content: bytes.NewReader(archive), CopyUIDGID: true,
	})
	return err
}

// runningOf lists the running service containers of a service (one-off
// containers are left alone, as Compose does).
func (e *Engine) runningOf(ctx context.Context, project, service string) ([]container.Summary, error) {
	res, err := e.api.ContainerList(ctx, client.ContainerListOptions{
		Filters: make(client.Filters).Add("label", projectLabelFilter(project), labelConfigHash,
			labelOneOff+"=False", labelService+"="+service),
	})
	if err != nil {
		return nil, fmt.Errorf("list containers of %s: %w", service, err)
	}
	return res.Items, nil
}

// execQuiet runs a command without a terminal and fails with its output
// when it exits non-zero.
func (e *Engine) execQuiet(ctx context.Context, id string, cmd []string) error {
	var out bytes.Buffer
	code, err := e.Exec(ctx, id, ExecOptions{Cmd: cmd, Stdout: &out, Stderr: &out})
	if err != nil {
		return err
	}
	if code != 0 {
		return fmt.Errorf("%s exited with status %d: %s", cmd[0], code, strings.TrimSpace(out.String()))
	}
	return nil
}

// dedupeSync keeps one entry per container path, the last one.
func dedupeSync(paths []syncPath) []syncPath {
	last := make(map[string]int, len(paths))
	for i, p := range paths {
		last[p.container] = i
	}
	out := make([]syncPath, 0, len(last))
	for i, p := range paths {
		if last[p.container] == i {
			out = append(out, p)
		}
	}
	return out
}

// tarOf archives the paths under their container names, parents before
// children. Folders are archived as entries of their own (their content
// arrives as changes of its own); dropImplied leaves out the folders that
// hold other entries of the archive. It returns the archive, the number of
// regular files and their bytes.
func tarOf(paths []syncPath, dropImplied bool) ([]byte, int, int64, error) {
	sort.Slice(paths, func(i, j int) bool { return paths[i].container < paths[j].container })
	holds := map[string]bool{}
	if dropImplied {
		for _, p := range paths {
			holds[path.Dir(p.container)] = true
		}
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	files, size := 0, int64(0)
	for _, p := range paths {
		if holds[p.container] {
			continue
		}
		n, err := writeSyncEntry(tw, p)
		if err != nil {
			return nil, 0, 0, fmt.Errorf("archive %s: %w", p.host, err)
		}
		if n >= 0 {
			files++
			size += n
		}
	}
	if err := tw.Close(); err != nil {
		return nil, 0, 0, err
	}
	return buf.Bytes(), files, size, nil
}

// writeSyncEntry writes one path; it returns the bytes of a regular file,
// or -1 for anything else.
func writeSyncEntry(tw *tar.Writer, p syncPath) (int64, error) {
	fi, err := os.Lstat(p.host)
	if errors.Is(err, fs.ErrNotExist) {
		return -1, nil // gone since the batch was made
	}
	if err != nil {
		return -1, err
	}
	link := ""
	if fi.Mode()&fs.ModeSymlink != 0 {
		if link, err = os.Readlink(p.host); err != nil {
			return -1, err
		}
	}
	hdr, err := tar.FileInfoHeader(fi, link)
	if err != nil {
		return -1, err
	}
	hdr.Name = strings.TrimPrefix(p.container, "/")
	if fi.IsDir() {
		hdr.Name += "/"
	}
	hdr.Uname, hdr.Gname = "", ""
	if !fi.Mode().IsRegular() {
		return -1, tw.WriteHeader(hdr)
	}
	// Read the whole file first: one still being written must not
	// disagree with the size in its header.
	content, err := os.ReadFile(p.host)
	if errors.Is(err, fs.ErrNotExist) {
		return -1, nil
	}
	if err != nil {
		return -1, err
	}
	hdr.Size = int64(len(content))
	if err := tw.WriteHeader(hdr); err != nil {
		return -1, err
	}
	_, err = io.Copy(tw, bytes.NewReader(content))
	return hdr.Size, err
}
