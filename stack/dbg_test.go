package stack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func BenchmarkDbg(b *testing.B) {
	s := newBenchStack(b)
	ctx, cancel := context.WithCancel(context.Background())
	evs := make(chan WatchEvent, 100)
	go s.e.Watch(ctx, s.p, WatchOptions{OnEvent: func(ev WatchEvent) { evs <- ev }})
	<-evs
	for i := range 3 {
		token := fmt.Sprintf("t-%d-%d", i, time.Now().UnixNano())
		t0 := time.Now()
		os.WriteFile(filepath.Join(s.Dir, "www/edit.txt"), []byte(token), 0o644)
		ev := <-evs
		tEv := time.Since(t0)
		lat := s.seen(b, "edit.txt", token, 20*time.Second)
		b.Logf("sync %v event-at %v visible-at %v", ev.Duration.Round(time.Millisecond), tEv.Round(time.Millisecond), (tEv + lat).Round(time.Millisecond))
		time.Sleep(150 * time.Millisecond)
	}
	cancel()
	// floor: the same copy, timed alone
	for range 5 {
		cs, _ := s.e.runningOf(context.Background(), s.Name, "web")
		t0 := time.Now()
		cs, _ = s.e.runningOf(context.Background(), s.Name, "web")
		tl := time.Since(t0)
		arch, _, _, _ := tarOf([]syncPath{{host: filepath.Join(s.Dir, "www/edit.txt"), container: "/www/x.txt"}}, false)
		t1 := time.Now()
		err := s.e.untar(context.Background(), cs[0].ID, arch)
		fmt.Printf("list %v copy %v %v\n", tl.Round(time.Millisecond), time.Since(t1).Round(time.Millisecond), err)
	}
}
