// Package templates owns devstack's stack templates: the built-in ones
// (embedded with embed.FS), the template manifest (devstack-template.yaml),
// and the verbs that move a stack between a folder and a shareable package:
// Open (a built-in name, a folder, a .tgz file, an https URL or an oci://
// reference), Init (write a template into a folder, options as a .env file),
// Pack (a folder into a .tgz without secrets) and Push (a package to an OCI
// registry).
//
// Unpacking treats every package as hostile: it rejects paths that leave the
// target, links that point outside it, special files, oversized content
// (counted as it is read), a missing or invalid manifest and a compose file
// that does not load; it writes into a temporary folder next to the target
// and moves files into place only when everything passed.
//
// A template is a folder with a compose file and a manifest,
// devstack-template.yaml:
//
//	name: shop                  # lower-case, used for NAME-VERSION.tgz
//	description: PHP app and MariaDB
//	version: 1.0.0
//	options:                    # become KEY=value lines of .env
//	  - key: HTTP_PORT
//	    default: "8080"
//	    help: Host port of the web app
//	    secret: false           # kept when .env is packed (default: secret)
//	  - key: DB_PASSWORD
//	    default: dev-only
//	    required: true          # init fails without a value
//	data:                       # files that are development data
//	  - db/init
//
// Options need no second template language: Init writes them to .env and
// compose interpolates ${KEY} in the compose file and in env_file files.
// Pack turns every env file (.env, db.env, .env.local) into NAME.example
// with the values blanked unless the key is declared `secret: false` or
// the value only references another variable (${DB_PASSWORD}); Init turns
// the examples back into env files filled with the option values.
//
// templates may import stack (to check that a template loads) but never
// engine or compose types from github.com/moby/..., github.com/docker/... or
// github.com/compose-spec/...; pure libraries of those organisations
// (github.com/moby/patternmatcher for .dockerignore matching) are allowed
// (layering_test.go at the module root enforces it). The questions asked
// for the options (Ask, the form on a terminal, and AskPlain, one question a
// line otherwise) are the only code here that needs a terminal; they live
// in ask.go.
package templates
