#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace tai::fleet {

// One key's latest value in a KV bucket. A revision is the bucket stream's sequence: it only grows,
// which is what makes compare-and-swap (and the lease epoch) work.
struct KvEntry {
    enum class Operation { Put, Delete, Purge };

    QString key;
    QByteArray value;
    std::uint64_t revision = 0;
    Operation operation = Operation::Put;
    std::int64_t createdNs = 0;  // server time, ns since the Unix epoch

    bool isLive() const { return operation == Operation::Put; }
};

}  // namespace tai::fleet
