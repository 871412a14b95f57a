// Command ferretdb runs FerretDB's embeddable package on PostgreSQL (the embedded
// default: Juece starts a private PostgreSQL cluster for it) or on SQLite (the fallback).
//
// Juece builds this wrapper instead of `go install .../cmd/ferretdb` because the
// released module lacks build/version/version.txt and that binary panics at start.
// The embeddable package does not need the file.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	handler := flag.String("handler", "sqlite", "storage backend: postgresql or sqlite")
	dir := flag.String("sqlite-dir", "data/ferretdb", "directory holding the SQLite databases (sqlite handler)")
	// The URL may carry a password: Juece passes it in the environment, out of the process list.
	pgURL := flag.String("postgresql-url", os.Getenv("FERRETDB_POSTGRESQL_URL"), "PostgreSQL connection URL (postgresql handler; default $FERRETDB_POSTGRESQL_URL)")
	level := flag.String("log-level", "error", "log level: debug, info, warn, error")
	flag.Parse()

	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad -log-level %q: %v\n", *level, err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lv}))

	config := ferretdb.Config{Listener: ferretdb.ListenerConfig{TCP: *listen}, Logger: logger, Handler: *handler}
	where := ""
	switch *handler {
	case "postgresql":
		if *pgURL == "" {
			fmt.Fprintln(os.Stderr, "ferretdb: the postgresql handler needs -postgresql-url or FERRETDB_POSTGRESQL_URL")
			os.Exit(2)
		}
		config.PostgreSQLURL = *pgURL
		where = "PostgreSQL"
	case "sqlite":
		abs, err := filepath.Abs(*dir)
		if err == nil {
			err = os.MkdirAll(abs, 0o755)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb: cannot use data directory %q: %v\n", *dir, err)
			os.Exit(1)
		}
		config.SQLiteURL = "file:" + abs + "/"
		where = "SQLite in " + abs
	default:
		fmt.Fprintf(os.Stderr, "ferretdb: unknown -handler %q (postgresql or sqlite)\n", *handler)
		os.Exit(2)
	}

	f, err := ferretdb.New(&config)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(os.Stderr, "ferretdb: listening on %s, data on %s\n", *listen, where)
	if err := f.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
}
