#pragma once

// Internal to tai::fleet: the libnats objects behind KvBucket and KvWatch.
#include "fleet/kv_bucket.h"
#include "fleet/kv_watch.h"
#include "fleet/nats_handles.h"

namespace tai::fleet {

struct KvBucket::Handle {
    nats::KvStorePtr store;
};

struct KvWatch::Handle {
    nats::KvWatcherPtr watcher;
};

}  // namespace tai::fleet
