// Command loadgen is a tiny, static test program that scripts/fixtures.sh
// imports as the local/loadgen image. It gives engine tests precise,
// repeatable behaviours: a known number of log lines, a log flood, a memory
// allocation (for OOM tests), a chosen exit code, a busy CPU, and a prompt
// reaction to SIGTERM (it usually runs as PID 1, where an unhandled SIGTERM
// would be ignored).
//
// It is its own module (see go.mod beside it) and uses only the standard
// library, so it builds without the project's go.mod:
//
//	cd testdata/images/loadgen && CGO_ENABLED=0 go build -o /tmp/loadgen .
//
// Order of work: start the CPU burner (-cpu), allocate memory (-alloc), print
// lines (-lines), then exit with -exit CODE if given, else wait for a signal.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"
)

func main() {
	lines := flag.Int("lines", 0, "print N numbered lines (-1: print forever, as fast as possible)")
	allocMB := flag.Int("alloc", 0, "allocate and touch MB megabytes, then keep them")
	exitCode := flag.Int("exit", -1, "exit with CODE after the other work (default: wait for a signal)")
	cpu := flag.Bool("cpu", false, "burn one CPU until the program ends")
	interval := flag.Duration("interval", 0, "pause between lines (e.g. 100ms); 0 means as fast as possible")
	prefix := flag.String("prefix", "line", "text before each line number")
	stream := flag.String("stream", "stdout", "where lines go: stdout, stderr or both (alternating, odd lines on stdout)")
	termCode := flag.Int("term-exit", 0, "exit code used when SIGTERM or SIGINT arrives")
	ignoreTerm := flag.Bool("ignore-term", false, "ignore SIGTERM and SIGINT (to test stop timeouts and SIGKILL)")
	flag.Parse()

	sigs := make(chan os.Signal, 1)
	if *ignoreTerm {
		signal.Ignore(syscall.SIGTERM, syscall.SIGINT)
	} else {
		signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
		go func() {
			s := <-sigs
			fmt.Fprintf(os.Stderr, "loadgen: got %v, exiting with %d\n", s, *termCode)
			os.Exit(*termCode)
		}()
	}

	if *cpu {
		go burn()
	}
	if *allocMB > 0 {
		allocate(*allocMB)
	}
	if *lines != 0 {
		if err := printLines(*lines, *interval, *prefix, *stream); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
	}
	if *exitCode >= 0 {
		os.Exit(*exitCode)
	}
	// Wait forever; signals are handled by the goroutine above (or ignored).
	block := make(chan struct{})
	if *ignoreTerm {
		// Keep a signal subscription so the runtime never reports a deadlock.
		signal.Notify(make(chan os.Signal, 1), syscall.SIGHUP)
	}
	<-block
}

// burn keeps one CPU busy.
func burn() {
	runtime.LockOSThread()
	x := uint64(1)
	for {
		x = x*6364136223846793005 + 1442695040888963407
		if x == 0 {
			fmt.Fprint(io.Discard, x)
		}
	}
}

// keep holds allocated memory so the garbage collector cannot free it.
var keep [][]byte

// allocate allocates mb megabytes in 1 MiB chunks and writes to every page so
// the memory is really resident (and counted by the cgroup).
func allocate(mb int) {
	const chunk = 1 << 20
	for i := 0; i < mb; i++ {
		b := make([]byte, chunk)
		for j := 0; j < chunk; j += 4096 {
			b[j] = byte(j + i + 1)
		}
		keep = append(keep, b)
		if (i+1)%64 == 0 || i+1 == mb {
			fmt.Fprintf(os.Stderr, "loadgen: allocated %d MB\n", i+1)
		}
	}
	fmt.Printf("loadgen: holding %d MB\n", mb)
}

func printLines(n int, interval time.Duration, prefix, stream string) error {
	var outs []*bufio.Writer
	switch stream {
	case "stdout":
		outs = []*bufio.Writer{bufio.NewWriterSize(os.Stdout, 64<<10)}
	case "stderr":
		outs = []*bufio.Writer{bufio.NewWriterSize(os.Stderr, 64<<10)}
	case "both":
		outs = []*bufio.Writer{bufio.NewWriterSize(os.Stdout, 64<<10), bufio.NewWriterSize(os.Stderr, 64<<10)}
	default:
		return fmt.Errorf("unknown -stream %q (want stdout, stderr or both)", stream)
	}
	flushAll := func() error {
		for _, w := range outs {
			if err := w.Flush(); err != nil {
				return err
			}
		}
		return nil
	}
	for i := 1; n < 0 || i <= n; i++ {
		w := outs[(i-1)%len(outs)]
		if _, err := fmt.Fprintf(w, "%s %d\n", prefix, i); err != nil {
			return err
		}
		if interval > 0 {
			if err := flushAll(); err != nil {
				return err
			}
			time.Sleep(interval)
		}
	}
	return flushAll()
}
