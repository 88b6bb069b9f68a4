package dockerfile

import (
	"reflect"
	"testing"
)

func TestBuildKitOnly(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Use
	}{
		{"classic only", "FROM --platform=linux/amd64 local/busybox AS b\nCOPY --from=b --chown=1000:1000 a /a\nADD --chown=app x /x\nRUN cat <<< word\nHEALTHCHECK --interval=5s CMD true\n", nil},
		{"run mount", "FROM x\nRUN --mount=type=cache,target=/c \\\n  make\n", []Use{{2, "RUN --mount"}}},
		{"run network and security", "FROM x\nRUN --network=none --security=insecure true\n", []Use{{2, "RUN --network"}, {2, "RUN --security"}}},
		{"copy link", "FROM x\nCOPY --link a /a\n", []Use{{2, "COPY --link"}}},
		{"chmod", "FROM x\nCOPY --chmod=755 a /a\nADD --chmod=644 b /b\n", []Use{{2, "COPY --chmod"}, {3, "ADD --chmod"}}},
		{"newer copy flags", "FROM x\nCOPY --parents --exclude=*.tmp a /\nADD --checksum=sha256:00 u /u\n", []Use{{2, "COPY --parents"}, {2, "COPY --exclude"}, {3, "ADD --checksum"}}},
		{"heredoc with syntax directive", "# syntax=docker/dockerfile:1\nFROM x\nRUN <<EOF\nset -e\nRUN --mount=not-an-instruction\nEOF\nCOPY <<-'END' /f\n\tbody\n\tEND\n", []Use{{3, "RUN heredoc <<EOF"}, {7, "COPY heredoc <<END"}}},
		{"not heredocs", "FROM x\nRUN echo \"a <<b\" 'c <<d' && echo $((1<<2)) && cat <<< w\nFROM y AS after\n", nil},
		{"onbuild", "FROM x\nONBUILD RUN --mount=type=secret,id=s true\n", []Use{{2, "RUN --mount"}}},
		{"lowercase instruction", "from x\nrun --mount=type=cache,target=/c true\n", []Use{{2, "RUN --mount"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			df, err := Parse([]byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if got := df.BuildKitOnly(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
