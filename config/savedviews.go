package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
)

// The views an agent saves from the console (the palette's "save view")
// live in a file the console owns, beside the config: views.toml. The
// console never rewrites the agent's config.toml.

// savedViews is the file's shape.
type savedViews struct {
	Views []View `toml:"views"`
}

// SavedViewsPath is the file of the saved views beside the config at
// configPath (the default config's when "").
func SavedViewsPath(configPath string) string {
	if configPath == "" {
		configPath = DefaultPath()
	}
	return filepath.Join(filepath.Dir(configPath), "views.toml")
}

// LoadSavedViews reads the saved views, checked as the config's are and
// against them (a name the config has is refused). A missing file is no
// saved view.
func (c *Config) LoadSavedViews(path string) ([]View, error) {
	if err := trustConfig(path); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("saved views: %w", err)
	}
	var sv savedViews
	md, err := toml.Decode(string(b), &sv)
	if err != nil {
		return nil, decodeError(path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("saved views: %s: unknown key %q", path, und[0].String())
	}
	hasAll := len(c.Views) == 0 // the defaults have All
	for _, v := range c.Views {
		hasAll = hasAll || v.unfiltered()
	}
	check := Config{Path: path, src: string(b), OwnerTagPrefix: c.OwnerTagPrefix, Views: sv.Views, allElsewhere: hasAll}
	if err := check.validateViews(); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, v := range c.Views {
		seen[v.Name] = true
	}
	for _, v := range sv.Views {
		if seen[v.Name] {
			return nil, fmt.Errorf("saved views: %s: %q names two views", path, v.Name)
		}
		seen[v.Name] = true
	}
	return sv.Views, nil
}

// SaveViews writes the saved views, whole: a new file renamed over the
// last, 0600 in the config's directory (made 0700 when missing).
func SaveViews(path string, views []View) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("saved views: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".views-*.toml")
	if err != nil {
		return fmt.Errorf("saved views: %w", err)
	}
	tmp := f.Name()
	_, werr := f.WriteString("# Views saved from the console (: save view NAME); : remove view NAME removes one.\n# triage writes this file whole: your own views belong in config.toml.\n\n")
	eerr := toml.NewEncoder(f).Encode(savedViews{Views: views})
	if err := errors.Join(werr, eerr, f.Sync(), f.Close()); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("saved views: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("saved views: %w", err)
	}
	return nil
}
