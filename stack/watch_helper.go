package stack

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"
)

// Why a helper: every CopyToContainer makes the engine mount the
// container's file system and re-exec itself to untar, and every exec
// makes runc start a process: 100-400 ms each on a busy machine, which is
// most of a save-to-visible delay. A helper is one shell per container,
// started once with an exec, that extracts each batch's tar from its stdin
// (and removes deleted paths) as the container's user: a sync is then a
// write on a socket. Whenever the helper cannot do a batch (no sh, tar,
// head or xargs in the image; a path its user may not write; the container
// restarted), it is closed and the batch goes the way Compose's does, so
// behaviour never depends on it.
const helperScript = `for c in tar head xargs rm; do command -v $c >/dev/null 2>&1 || { echo "missing $c"; exit 3; }; done
echo ready
while IFS= read -r op; do
  n=${op#* }
  case "$op" in
  T\ *) err=$(head -c "$n" | tar -x -o -f - -C / 2>&1) ;;
  R\ *) err=$(head -c "$n" | xargs -0 rm -rf -- 2>&1) ;;
  *) exit 2 ;;
  esac
  if [ $? -eq 0 ]; then echo ok; else echo "fail $err" | tr '\n' ' '; echo; fi
done`

// syncHelper is a helper shell running in one container.
type syncHelper struct {
	att client.HijackedResponse
	out *bufio.Reader
}

// startHelper starts the helper shell in a container and waits until it
// says it is ready.
func (e *Engine) startHelper(ctx context.Context, id string) (*syncHelper, error) {
	// Bounded: a busy engine must not hold the watch (the attached
	// connection itself outlives this context).
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	created, err := e.api.ExecCreate(ctx, id, client.ExecCreateOptions{
		Cmd: []string{"sh", "-c", helperScript}, AttachStdin: true, AttachStdout: true, AttachStderr: true,
	})
	if err != nil {
		return nil, err
	}
	att, err := e.api.ExecAttach(ctx, created.ID, client.ExecAttachOptions{})
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	go func() {
		_, err := stdcopy.StdCopy(pw, pw, att.Reader)
		pw.CloseWithError(err)
	}()
	h := &syncHelper{att: att.HijackedResponse, out: bufio.NewReader(pr)}
	line, err := h.reply(ctx, 10*time.Second)
	if err != nil || line != "ready" {
		h.close()
		return nil, fmt.Errorf("sync helper: %q %v", line, err)
	}
	return h, nil
}

// do sends one request (T: a tar to extract, R: NUL-separated paths to
// remove) and waits for its answer.
func (h *syncHelper) do(ctx context.Context, op byte, payload []byte) error {
	msg := append([]byte(fmt.Sprintf("%c %d\n", op, len(payload))), payload...)
	if _, err := h.att.Conn.Write(msg); err != nil {
		return err
	}
	line, err := h.reply(ctx, 2*time.Minute)
	if err != nil {
		return err
	}
	if line != "ok" {
		return errors.New(strings.TrimSpace(strings.TrimPrefix(line, "fail")))
	}
	return nil
}

// reply reads the helper's next line, giving up after limit or with ctx.
func (h *syncHelper) reply(ctx context.Context, limit time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { h.att.Close() })
	defer stop()
	line, err := h.out.ReadString('\n')
	if err != nil {
		return strings.TrimSpace(line), fmt.Errorf("sync helper: %w", err)
	}
	return strings.TrimSpace(line), nil
}

func (h *syncHelper) close() { h.att.Close() }

// helperPool keeps one helper per container for the length of a watch.
type helperPool struct {
	e  *Engine
	mu sync.Mutex
	m  map[string]*syncHelper
}

func newHelperPool(e *Engine) *helperPool {
	return &helperPool{e: e, m: map[string]*syncHelper{}}
}

// apply runs a batch through the container's helper, starting one when
// needed; on any failure the helper is dropped and the error returned, so
// the caller falls back to the engine's own copy.
func (hp *helperPool) apply(ctx context.Context, id string, archive []byte, deletes []string) error {
	hp.mu.Lock()
	h := hp.m[id]
	delete(hp.m, id) // one user at a time; put back when it worked
	hp.mu.Unlock()
	if h == nil {
		var err error
		if h, err = hp.e.startHelper(ctx, id); err != nil {
			return err
		}
	}
	err := h.run(ctx, archive, deletes)
	if err != nil {
		h.close()
		return err
	}
	hp.mu.Lock()
	if old := hp.m[id]; old != nil {
		old.close()
	}
	hp.m[id] = h
	hp.mu.Unlock()
	return nil
}

func (h *syncHelper) run(ctx context.Context, archive []byte, deletes []string) error {
	if len(deletes) > 0 {
		var b strings.Builder
		for _, p := range deletes {
			b.WriteString(p)
			b.WriteByte(0)
		}
		if err := h.do(ctx, 'R', []byte(b.String())); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
	}
	if len(archive) > 0 {
		if err := h.do(ctx, 'T', archive); err != nil {
			return fmt.Errorf("extract: %w", err)
		}
	}
	return nil
}

// close stops every helper.
func (hp *helperPool) close() {
	hp.mu.Lock()
	defer hp.mu.Unlock()
	for id, h := range hp.m {
		h.close()
		delete(hp.m, id)
	}
}

// warm starts helpers in the running containers of the services ahead of
// the first change, so the first save is as quick as the next ones.
// Failures are left for the first sync to meet (and fall back on).
func (hp *helperPool) warm(ctx context.Context, project string, services []string) {
	var wg sync.WaitGroup
	for _, svc := range services {
		cs, err := hp.e.runningOf(ctx, project, svc)
		if err != nil {
			continue
		}
		for _, c := range cs {
			wg.Go(func() {
				h, err := hp.e.startHelper(ctx, c.ID)
				if err != nil {
					return
				}
				hp.mu.Lock()
				defer hp.mu.Unlock()
				if hp.m[c.ID] != nil {
					h.close()
					return
				}
				hp.m[c.ID] = h
			})
		}
	}
	wg.Wait()
}
