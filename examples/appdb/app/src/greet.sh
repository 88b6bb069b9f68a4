#!/bin/sh
# greet prints the app's greeting for a name.
greet() {
	echo "hello, ${1:-world}"
}
