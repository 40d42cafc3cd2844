#pragma once

// Internal to the audit store: everything between a path and a verified, migrated database.

#include "audit/audit_store.h"
#include "audit/audit_writer.h"
#include "audit/idempotency_lookup.h"

#include <memory>

namespace tai {

struct OpenedAudit {
    std::unique_ptr<AuditWriter> writer;  // null when the open was refused
    std::unique_ptr<IdempotencyLookup> lookup;
};

// Secures the data dir and files, opens the writer connection, verifies the database before
// writing anything to it (a damaged file is refused untouched), sets WAL and synchronous=FULL,
// migrates, runs one retention pass, and opens the lookup connection.
OpenedAudit openAuditDatabase(const QString& name, const AuditStore::Options& options, QString* error);

// The message for a database that cannot be trusted: the file, the problem, what to do.
QString untrustedDatabaseMessage(const QString& path, const QString& problem);

}  // namespace tai
