// Command app is the template's HTTP service. It has no dependencies so the
// stack builds offline; /db reports the MariaDB server it reaches by
// reading the server's greeting. Add a driver (github.com/go-sql-driver/mysql)
// to run queries.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello from the go-mariadb template")
	})
	http.HandleFunc("/db", func(w http.ResponseWriter, r *http.Request) {
		version, err := serverVersion(os.Getenv("DB_ADDR"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintf(w, "database %s on MariaDB %s\n", os.Getenv("DB_NAME"), version)
	})
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	log.Println("listening on :8080")
	log.Fatal(http.ListenAndServe(":8080", nil))
}

// serverVersion reads the version from the first packet a MySQL-protocol
// server sends: a 4-byte header, the protocol version, then the server
// version ending in NUL.
func serverVersion(addr string) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	hdr := make([]byte, 5)
	r := bufio.NewReader(conn)
	if _, err := r.Read(hdr); err != nil {
		return "", err
	}
	v, err := r.ReadBytes(0)
	if err != nil {
		return "", err
	}
	return string(bytes.TrimSuffix(v, []byte{0})), nil
}
