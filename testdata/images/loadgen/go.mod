module github.com/devstack/devstack/testdata/images/loadgen

go 1.22
