#pragma once

#include "fleet/fleet_error.h"
#include "fleet/kv_entry.h"

#include <QByteArray>
#include <QString>

namespace tai::fleet {

// The value under tai_<fleet>_lease/controller. The epoch is the revision the holder won the key
// at; the create cannot know it yet, so an entry without one is at its own revision.
struct LeaseRecord {
    QString holder;
    std::uint64_t epoch = 0;

    QByteArray encode() const;
    static FleetResult<LeaseRecord> decode(const KvEntry& entry);
};

}  // namespace tai::fleet
