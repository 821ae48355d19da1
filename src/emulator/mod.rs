//! A Discord REST API emulator: a real HTTP server on 127.0.0.1 that keeps one guild.
