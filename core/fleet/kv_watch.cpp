#include "fleet/kv_watch.h"

#include "fleet/kv_handles.h"
#include "fleet/nats_native.h"
#include "fleet/nats_status.h"

namespace tai::fleet {

KvWatch::KvWatch(std::shared_ptr<nats::NativeConnection> native, std::unique_ptr<Handle> handle,
                 QString bucket)
    : native_(std::move(native)), handle_(std::move(handle)), bucket_(std::move(bucket)) {}

KvWatch::~KvWatch() = default;  // kvWatcher_Destroy stops it first

void KvWatch::stop() {
    kvWatcher_Stop(handle_->watcher.get());
}

FleetResult<KvWatch::Event> KvWatch::next(std::chrono::milliseconds timeout) {
    kvEntry* raw = nullptr;
    const natsStatus s =
        kvWatcher_Next(&raw, handle_->watcher.get(), std::max<std::int64_t>(1, timeout.count()));
    nats::KvEntryPtr entry(raw);
    Event event;
    if (s == NATS_TIMEOUT) {
        event.kind = Event::Kind::Idle;
        return event;
    }
    if (s == NATS_ILLEGAL_STATE) {
        event.kind = Event::Kind::Stopped;
        return event;
    }
    if (s != NATS_OK) {
        return nats::toError(s, 0, u"watch " + bucket_, false);
    }
    if (!entry) {
        event.kind = Event::Kind::CurrentValuesDone;
        return event;
    }
    event.kind = Event::Kind::Entry;
    event.entry.key = QString::fromUtf8(kvEntry_Key(entry.get()));
    if (const void* data = kvEntry_Value(entry.get()); data != nullptr) {
        event.entry.value = QByteArray(static_cast<const char*>(data), kvEntry_ValueLen(entry.get()));
    }
    event.entry.revision = kvEntry_Revision(entry.get());
    event.entry.createdNs = kvEntry_Created(entry.get());
    switch (kvEntry_Operation(entry.get())) {
        case kvOp_Delete:
            event.entry.operation = KvEntry::Operation::Delete;
            break;
        case kvOp_Purge:
            event.entry.operation = KvEntry::Operation::Purge;
            break;
        default:
            event.entry.operation = KvEntry::Operation::Put;
            break;
    }
    return event;
}

}  // namespace tai::fleet
