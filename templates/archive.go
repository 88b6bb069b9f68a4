package templates

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"time"
)

// packTime is the modification time of every packed entry, so packing the
// same folder twice gives the same bytes.
var packTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// writeArchive writes the manifest first, then the files in order, as a
// gzip-compressed PAX tar owned by root with plain modes.
func writeArchive(manifest []byte, files []entry) ([]byte, error) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	all := append([]entry{{name: ManifestFile, kind: kindFile, data: manifest}}, files...)
	for _, e := range all {
		hdr := &tar.Header{Name: e.name, ModTime: packTime, Format: tar.FormatPAX, Mode: 0o644}
		switch e.kind {
		case kindDir:
			hdr.Typeflag, hdr.Name, hdr.Mode = tar.TypeDir, e.name+"/", 0o755
		case kindSymlink:
			hdr.Typeflag, hdr.Linkname, hdr.Mode = tar.TypeSymlink, e.link, 0o777
		default:
			hdr.Typeflag, hdr.Size = tar.TypeReg, int64(len(e.data))
			if e.exec {
				hdr.Mode = 0o755
			}
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if e.kind == kindFile {
			if _, err := tw.Write(e.data); err != nil {
				return nil, err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
