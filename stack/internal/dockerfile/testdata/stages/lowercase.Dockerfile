from local/busybox as Builder
run true
From builder As Final
