package templates

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"sort"
)

// Limits bound what a package may hold. Sizes are counted on the bytes
// actually decompressed, never taken from headers, so a decompression bomb
// stops at the limit.
type Limits struct {
	// MaxTotal is the most decompressed bytes a package may hold (tar
	// headers included).
	MaxTotal int64
	// MaxFile is the largest single file.
	MaxFile int64
	// MaxFiles is the most entries.
	MaxFiles int
}

// DefaultLimits fit a dev stack with seed data; packages are held in memory
// while they are checked, so the total stays modest.
var DefaultLimits = Limits{MaxTotal: 128 << 20, MaxFile: 64 << 20, MaxFiles: 10000}

// Errors a bad package is reported with; test with errors.Is.
var (
	// ErrUnsafePackage means a package holds an entry that could write
	// outside the target or is not a plain file, folder or inside link.
	ErrUnsafePackage = errors.New("unsafe template package")
	// ErrTooLarge means a package exceeds its Limits.
	ErrTooLarge = errors.New("template package too large")
	// ErrNotPackage means the bytes are not a gzip-compressed tar.
	ErrNotPackage = errors.New("not a template package (.tgz)")
)

type entryKind uint8

const (
	kindFile entryKind = iota + 1
	kindDir
	kindSymlink
)

// entry is one file of a template, held in memory with a clean relative
// slash path.
type entry struct {
	name string
	kind entryKind
	exec bool
	data []byte
	link string // symlink target, relative
}

// unpack reads a template package (.tgz) into memory and checks it: entry
// names, link targets, file kinds, sizes and the manifest. It writes
// nothing; Init does, after checking that the compose file loads.
func unpack(r io.Reader, lim Limits) (*Template, error) {
	entries, err := readArchive(r, lim)
	if err != nil {
		return nil, err
	}
	return newTemplate(entries)
}

func readArchive(r io.Reader, lim Limits) ([]entry, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("unpack: %w: %w", ErrNotPackage, err)
	}
	counted := &limitedReader{r: gz, left: lim.MaxTotal}
	tr := tar.NewReader(counted)
	byName := map[string]int{}
	var entries []entry
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, unpackErr(counted, err)
		}
		if len(entries) >= lim.MaxFiles {
			return nil, fmt.Errorf("unpack: %w: more than %d entries", ErrTooLarge, lim.MaxFiles)
		}
		e, skip, err := readEntry(tr, hdr, lim, entries, byName)
		if err != nil {
			return nil, unpackErr(counted, err)
		}
		if skip {
			continue
		}
		if _, dup := byName[e.name]; dup {
			return nil, fmt.Errorf("unpack: %w: %s appears twice", ErrUnsafePackage, e.name)
		}
		byName[e.name] = len(entries)
		entries = append(entries, e)
	}
	// Trailing garbage after the tar end is not an attack, but reading it
	// keeps the byte count honest for streams that carry more gzip members.
	if _, err := io.Copy(io.Discard, counted); err != nil {
		return nil, unpackErr(counted, err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	if err := checkTree(entries); err != nil {
		return nil, err
	}
	return entries, nil
}

func unpackErr(c *limitedReader, err error) error {
	if c.exceeded || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrUnsafePackage) {
		if c.exceeded {
			return fmt.Errorf("unpack: %w: more than %d bytes decompressed", ErrTooLarge, c.limit())
		}
		return fmt.Errorf("unpack: %w", err)
	}
	return fmt.Errorf("unpack: %w: %w", ErrNotPackage, err)
}

// readEntry turns one tar header into an entry; skip is set for the root
// folder itself ("./").
func readEntry(tr *tar.Reader, hdr *tar.Header, lim Limits, seen []entry, byName map[string]int) (entry, bool, error) {
	name, err := cleanEntryName(hdr.Name)
	if err != nil {
		return entry{}, false, fmt.Errorf("%w: entry %q: %v", ErrUnsafePackage, hdr.Name, err)
	}
	if name == "." {
		if hdr.Typeflag != tar.TypeDir {
			return entry{}, false, fmt.Errorf("%w: entry %q is not a folder", ErrUnsafePackage, hdr.Name)
		}
		return entry{}, true, nil
	}
	e := entry{name: name, exec: hdr.Mode&0o111 != 0}
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeRegA:
		e.kind = kindFile
		if hdr.Size > lim.MaxFile {
			return entry{}, false, fmt.Errorf("%w: %s is %d bytes, more than %d", ErrTooLarge, name, hdr.Size, lim.MaxFile)
		}
		data, err := io.ReadAll(io.LimitReader(tr, lim.MaxFile+1))
		if err != nil {
			return entry{}, false, err
		}
		if int64(len(data)) > lim.MaxFile {
			return entry{}, false, fmt.Errorf("%w: %s is more than %d bytes", ErrTooLarge, name, lim.MaxFile)
		}
		e.data = data
	case tar.TypeDir:
		e.kind = kindDir
	case tar.TypeSymlink:
		e.kind = kindSymlink
		if err := checkLinkTarget(name, hdr.Linkname); err != nil {
			return entry{}, false, fmt.Errorf("%w: symlink %s -> %s: %v", ErrUnsafePackage, name, hdr.Linkname, err)
		}
		e.link = hdr.Linkname
	case tar.TypeLink:
		// A hard link becomes a copy of a regular file seen earlier in the
		// package; anything else could alias a file outside the target.
		target, err := cleanEntryName(hdr.Linkname)
		i, ok := byName[target]
		if err != nil || !ok || seen[i].kind != kindFile {
			return entry{}, false, fmt.Errorf("%w: hard link %s -> %s does not name a file of the package", ErrUnsafePackage, name, hdr.Linkname)
		}
		e.kind, e.exec, e.data = kindFile, seen[i].exec, seen[i].data
	default:
		return entry{}, false, fmt.Errorf("%w: %s is a %s, only files, folders and links are allowed", ErrUnsafePackage, name, typeName(hdr.Typeflag))
	}
	return e, false, nil
}

func typeName(t byte) string {
	switch t {
	case tar.TypeChar:
		return "character device"
	case tar.TypeBlock:
		return "block device"
	case tar.TypeFifo:
		return "fifo"
	}
	return fmt.Sprintf("tar entry of type %q", t)
}

// limitedReader fails once more than its budget has been read.
type limitedReader struct {
	r        io.Reader
	left     int64
	read     int64
	exceeded bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more tells "exactly at the limit" from "over it".
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			l.exceeded = true
			return 0, ErrTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	l.read += int64(n)
	return n, err
}

func (l *limitedReader) limit() int64 { return l.read + l.left }
