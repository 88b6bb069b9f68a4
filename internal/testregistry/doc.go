// Package testregistry serves a real registry (go-containerregistry's) on
// 127.0.0.1 inside a test process, pushes images into it and slows its
// blobs down, for the tests of stack and e2e that pull and push images and
// those of templates that push and open template artifacts: no public
// registry is reachable where they run, and dockerd pulls from 127.0.0.0/8
// over plain HTTP without any daemon setting. It is for tests only; it
// imports no engine client, so each caller removes what the engine pulled
// with its own.
package testregistry
