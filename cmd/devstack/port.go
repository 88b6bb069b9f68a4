package main

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

func newPortCmd(g *globals) *cobra.Command {
	var opts stack.PortOptions
	var private uint16
	cmd := &cobra.Command{
		Use:   "port [flags] SERVICE [PRIVATE_PORT]",
		Short: "List a service's port bindings, or print the public address of one private port",
		Args:  cobra.RangeArgs(1, 2),
		PreRunE: func(cmd *cobra.Command, args []string) error {
			opts.Protocol = strings.ToLower(opts.Protocol)
			if len(args) > 1 {
				n, err := strconv.ParseUint(args[1], 10, 16)
				if err != nil {
					return fmt.Errorf("port %s: %q is not a port number", args[0], args[1])
				}
				private = uint16(n)
			} else if !cmd.Flags().Changed("protocol") {
				opts.Protocol = "" // every protocol when no port is named, as compose does
			}
			return nil
		},
		RunE: g.onProject(false, func(ctx context.Context, e *stack.Engine, name string, p *stack.Project, args []string) error {
			ports, err := e.Port(ctx, name, p, args[0], private, opts)
			if err != nil {
				return err
			}
			if private != 0 {
				fmt.Fprintln(g.stdout, hostAddress(ports[0]))
				return nil
			}
			for _, pt := range ports {
				fmt.Fprintf(g.stdout, "%d/%s -> %s\n", pt.ContainerPort, pt.Protocol, hostAddress(pt))
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&opts.Protocol, "protocol", "tcp", "tcp or udp")
	cmd.Flags().IntVar(&opts.Index, "index", 0, "index of the container if the service has several replicas")
	return cmd
}

// hostAddress is where a port is published, as compose prints it.
func hostAddress(p stack.Port) string {
	return net.JoinHostPort(p.HostIP, strconv.Itoa(int(p.HostPort)))
}
