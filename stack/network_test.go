package stack

import (
	"context"
	"slices"
	"testing"

	"github.com/moby/moby/client"
)

const networksStack = `
services:
  proxy:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    ports:
      - "127.0.0.1::80"
      - "5353/udp"
    networks:
      front:
        aliases: [edge]
      back: {}
  api:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    networks: [back]
networks:
  front: {}
  back:
    internal: true
`

func TestUpJoinsEveryNetworkWithAliasesAndPublishesPorts(t *testing.T) {
	s := newTestStack(t, "nets")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(networksStack)
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	proxy := s.container("proxy")
	res, err := s.e.api.ContainerInspect(ctx, proxy.ID, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	nets := res.Container.NetworkSettings.Networks
	front, back := nets[s.Name+"_front"], nets[s.Name+"_back"]
	if front == nil || back == nil {
		t.Fatalf("proxy is on %v, want both %s_front and %s_back", sortedKeys(nets), s.Name, s.Name)
	}
	for _, alias := range []string{"edge", "proxy", proxy.Name} {
		if !slices.Contains(front.Aliases, alias) {
			t.Errorf("front aliases %v lack %s", front.Aliases, alias)
		}
	}
	if out, code := s.exec("api", "nslookup", "proxy"); code != 0 {
		t.Errorf("api cannot resolve proxy on the back network: exit %d: %s", code, out)
	}
	var tcp, udp bool
	for _, port := range proxy.Ports {
		tcp = tcp || (port.ContainerPort == 80 && port.Protocol == "tcp" && port.HostIP == "127.0.0.1" && port.HostPort != 0)
		udp = udp || (port.ContainerPort == 5353 && port.Protocol == "udp" && port.HostPort != 0)
	}
	if !tcp || !udp {
		t.Errorf("got ports %v, want 127.0.0.1:<any>->80/tcp and <any>->5353/udp", proxy.Ports)
	}

	// a container that lost one of its networks is replaced
	if _, err := s.e.api.NetworkDisconnect(ctx, s.Name+"_back", client.NetworkDisconnectOptions{Container: proxy.ID}); err != nil {
		t.Fatal(err)
	}
	api := s.container("api")
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up after disconnect: %v", err)
	}
	if s.container("proxy").ID == proxy.ID {
		t.Error("proxy was not recreated after losing a network")
	}
	if s.container("api").ID != api.ID {
		t.Error("api was recreated though nothing changed for it")
	}
}

func TestUpResolvesLegacyLinks(t *testing.T) {
	s := newTestStack(t, "links")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(`
services:
  db:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
  web:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    links: ["db:database"]
`)
	if err := s.e.Up(context.Background(), p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	if out, code := s.exec("web", "nslookup", "database"); code != 0 {
		t.Errorf("web cannot resolve its link alias database: exit %d: %s", code, out)
	}
}
