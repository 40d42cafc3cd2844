#pragma once

#include "fleet/fleet_error.h"
#include "fleet/kv_entry.h"

#include <chrono>
#include <memory>

namespace tai::fleet {

namespace nats {
struct NativeConnection;
}

// A KV watcher: the current value of every matching key, then a marker, then every change as it
// happens. libnats' watchers are synchronous (and experimental): next() blocks, so it runs on a
// thread of ours (ControlWatcher's); stop() may be called from any thread and wakes it.
class KvWatch {
public:
    struct Event {
        enum class Kind { Entry, CurrentValuesDone, Idle, Stopped };
        Kind kind = Kind::Idle;
        KvEntry entry;
    };
    struct Handle;  // the libnats watcher (kv_handles.h)

    KvWatch(std::shared_ptr<nats::NativeConnection> native, std::unique_ptr<Handle> handle, QString bucket);
    ~KvWatch();
    KvWatch(const KvWatch&) = delete;
    KvWatch& operator=(const KvWatch&) = delete;

    // Idle when nothing happened within `timeout`; an error when the watcher broke (the caller
    // makes a new one).
    FleetResult<Event> next(std::chrono::milliseconds timeout);
    void stop();

private:
    std::shared_ptr<nats::NativeConnection> native_;
    std::unique_ptr<Handle> handle_;
    QString bucket_;
};

}  // namespace tai::fleet
