package templates

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// PackOptions are the choices of one pack.
type PackOptions struct {
	// Output is the package file to write (default: NAME-VERSION.tgz in
	// the current folder).
	Output string
}

// PackReport says what a pack put in the package and what it left out.
type PackReport struct {
	// Output is the package's absolute path.
	Output string
	// Size is the package's size in bytes.
	Size     int64
	Manifest Manifest
	// ManifestGenerated is set when the folder had no manifest and one was
	// made from its name and .env.
	ManifestGenerated bool
	Files             []PackedFile
	LeftOut           []LeftOut
	// Warnings are things to look at before sharing (outside bind mounts).
	Warnings []string

	// secretFiles are the compose secrets' files, packed empty.
	secretFiles []string
	// rewritten are compose files (by slash path in the folder) whose
	// literal credentials were replaced by ${KEY}.
	rewritten map[string]rewrite
}

// rewrite is a compose file as packed, and the keys taken out of it.
type rewrite struct {
	data []byte
	keys []string
}

// PackedFile is one file in the package.
type PackedFile struct {
	Path string
	Size int64
	// Data is set for files the manifest declares as data.
	Data bool
	// Note explains a change (an env file packed as an example with its
	// secret values blanked).
	Note string
}

// LeftOut is something of the stack that is not in the package.
type LeftOut struct {
	Path   string
	Reason string
}

// Pack packs a stack folder into a template package. A folder without a
// manifest gets one generated. Secrets stay out: env files are packed as
// .example files with secret values blanked, private keys and credential
// files are left out, and bind mounts of paths outside the folder are
// reported. The package is read back the way Open reads one before it is written.
func Pack(ctx context.Context, dir string, opts PackOptions) (PackReport, error) {
	out := opts.Output
	if out != "" {
		abs, err := filepath.Abs(out)
		if err != nil {
			return PackReport{}, fmt.Errorf("pack %s: %w", dir, err)
		}
		out = abs
		// The folder is walked by its real path; so is the output.
		if real, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
			out = filepath.Join(real, filepath.Base(abs))
		}
	}
	archive, rep, err := packDir(ctx, dir, out)
	if err != nil {
		return PackReport{}, err
	}
	if out == "" {
		out, err = filepath.Abs(rep.Manifest.Name + "-" + rep.Manifest.Version + ".tgz")
		if err != nil {
			return PackReport{}, fmt.Errorf("pack %s: %w", dir, err)
		}
	}
	if err := writeFileAtomic(out, archive); err != nil {
		return PackReport{}, fmt.Errorf("pack %s: %w", dir, err)
	}
	rep.Output, rep.Size = out, int64(len(archive))
	return rep, nil
}

// packDir builds the package in memory; skip is a file never to pack (the
// output, when it lies inside the folder).
func packDir(ctx context.Context, dir, skip string) ([]byte, PackReport, error) {
	abs, err := filepath.Abs(dir)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return nil, PackReport{}, fmt.Errorf("pack %s: %w", dir, err)
	}
	var rep PackReport
	m, manifest, err := folderManifest(ctx, abs, &rep)
	if err != nil {
		return nil, PackReport{}, fmt.Errorf("pack %s: %w", dir, err)
	}
	rep.Manifest = m
	note := ""
	if rep.ManifestGenerated {
		note = "generated: the folder had none"
	}
	rep.Files = append(rep.Files, PackedFile{Path: ManifestFile, Size: int64(len(manifest)), Note: note})
	files, err := collect(abs, m, skip, &rep)
	if err != nil {
		return nil, PackReport{}, fmt.Errorf("pack %s: %w", dir, err)
	}
	archive, err := writeArchive(manifest, files)
	if err != nil {
		return nil, PackReport{}, fmt.Errorf("pack %s: %w", dir, err)
	}
	if _, err := unpack(bytes.NewReader(archive), DefaultLimits); err != nil {
		return nil, PackReport{}, fmt.Errorf("pack %s: the package would not unpack: %w", dir, err)
	}
	return archive, rep, nil
}

// writeFileAtomic writes next to path and renames, so a failed pack never
// leaves half a package under the final name.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".devstack-pack-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
