package testregistry

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	crand "crypto/rand"
	"fmt"
	"io"
	"math/rand/v2"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// randomLayer is a gzipped layer holding one file of n random bytes. It is
// compressed once, Huffman-only: random bytes do not compress anyway, and
// go-containerregistry's own random.Layer compresses at the default level
// each time the layer is read, which under -race costs seconds per MB.
func randomLayer(n int64) (v1.Layer, error) {
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		return nil, fmt.Errorf("random layer: seed: %w", err)
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.HuffmanOnly)
	if err != nil {
		return nil, fmt.Errorf("random layer: %w", err)
	}
	tw := tar.NewWriter(zw)
	hdr := &tar.Header{Name: fmt.Sprintf("random-%x", seed[:6]), Size: n, Mode: 0o644, Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, fmt.Errorf("random layer: %w", err)
	}
	if _, err := io.CopyN(tw, rand.NewChaCha8(seed), n); err != nil {
		return nil, fmt.Errorf("random layer: %w", err)
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("random layer: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("random layer: %w", err)
	}
	data := gz.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	})
}

// InMemory is img with every layer compressed once and held in memory. An
// image read from a `docker save` tar compresses its layers again each
// time a digest or the blob is asked for, which makes every push built on
// it cost seconds under -race.
func InMemory(img v1.Image) (v1.Image, error) {
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("image layers: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("image config: %w", err)
	}
	out := empty.Image
	for i, l := range layers {
		rc, err := l.Compressed()
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		ml, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(data)), nil
		})
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		if out, err = mutate.AppendLayers(out, ml); err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
	}
	// The original config: its diff IDs are the same layers'.
	return mutate.ConfigFile(out, cf)
}
