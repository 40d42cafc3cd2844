#pragma once

#include <QString>

namespace tai {

// The audit trail is for its owner only (issue 14): the data dir is 0700, audit.sqlite and its
// -wal and -shm are 0600.

// Creates `dir` (its parents as usual) owner-only, or tightens an existing one that lets group or
// others in, and logs that it did. False with `error` set when it cannot.
bool ensurePrivateDirectory(const QString& dir, QString* error);
// Creates `file` empty with mode 0600 when it does not exist (SQLite gives -wal and -shm the mode
// of the database file, so they follow), or tightens an existing one, and logs that it did.
bool ensurePrivateFile(const QString& file, bool create, QString* error);

}  // namespace tai
