#include "fleet/kv_bucket.h"

#include "fleet/kv_handles.h"
#include "fleet/nats_native.h"
#include "fleet/nats_status.h"

namespace tai::fleet {

using nats::toError;

namespace {

std::int64_t toNanoseconds(std::chrono::milliseconds d) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

QString describeTtl(std::int64_t ns) {
    return ns == 0 ? QStringLiteral("none") : QString::number(static_cast<double>(ns) / 1e9) + u" s";
}

KvEntry::Operation operationOf(natsMsg* message) {
    const char* value = nullptr;
    if (natsMsgHeader_Get(message, "KV-Operation", &value) == NATS_OK && value != nullptr) {
        if (qstrcmp(value, "DEL") == 0) {
            return KvEntry::Operation::Delete;
        }
        if (qstrcmp(value, "PURGE") == 0) {
            return KvEntry::Operation::Purge;
        }
    }
    return KvEntry::Operation::Put;
}

}  // namespace

KvBucket::KvBucket(std::shared_ptr<nats::NativeConnection> native, KvBucketSpec spec,
                   std::unique_ptr<Handle> handle)
    : native_(std::move(native)),
      spec_(std::move(spec)),
      streamName_(u"KV_" + spec_.name),
      subjectPrefix_(u"$KV." + spec_.name + u'.'),
      handle_(std::move(handle)) {}

KvBucket::~KvBucket() = default;

FleetResult<std::shared_ptr<KvBucket>> KvBucket::openOrCreate(std::shared_ptr<nats::NativeConnection> native,
                                                              const KvBucketSpec& spec) {
    const QString what = u"bucket " + spec.name;
    const QByteArray name = spec.name.toUtf8();
    const QByteArray stream = (u"KV_" + spec.name).toUtf8();
    const std::int64_t ttl = toNanoseconds(spec.ttl);

    jsStreamInfo* rawInfo = nullptr;
    auto code = static_cast<jsErrCode>(0);
    natsStatus s = js_GetStreamInfo(&rawInfo, native->jetStream.get(), stream.constData(), nullptr, &code);
    nats::StreamInfoPtr info(rawInfo);
    kvStore* rawStore = nullptr;
    if (s == NATS_OK) {
        // An existing bucket keeps its TTL: say so rather than expire keys on another schedule.
        if (info->Config->MaxAge != ttl) {
            return FleetError::make(FleetError::Kind::InvalidArgument,
                                    what + u" exists with TTL " + describeTtl(info->Config->MaxAge) +
                                        u"; this process asks for " + describeTtl(ttl));
        }
        s = js_KeyValue(&rawStore, native->jetStream.get(), name.constData());
    } else if (s == NATS_NOT_FOUND) {
        kvConfig config;
        kvConfig_Init(&config);
        config.Bucket = name.constData();
        config.History = static_cast<uint8_t>(spec.history);
        config.TTL = ttl;  // nanoseconds (FLEET.md §14.4)
        config.MaxValueSize = spec.maxValueBytes;
        config.StorageType = js_FileStorage;
        config.Replicas = 1;
        s = js_CreateKeyValue(&rawStore, native->jetStream.get(), &config);
        if (s != NATS_OK) {
            // Another instance may have made it at the same moment, with the same design.
            rawStore = nullptr;
            if (js_KeyValue(&rawStore, native->jetStream.get(), name.constData()) == NATS_OK) {
                s = NATS_OK;
            }
        }
    }
    auto handle = std::make_unique<Handle>();
    handle->store.reset(rawStore);
    if (s != NATS_OK) {
        return toError(s, code, what, false);
    }
    return std::shared_ptr<KvBucket>(new KvBucket(std::move(native), spec, std::move(handle)));
}

FleetError KvBucket::checkKey(const QString& key, const QString& what) const {
    // The characters libnats accepts in a key; anything else would become another subject.
    bool ok = !key.isEmpty() && !key.startsWith(u'.') && !key.endsWith(u'.') && !key.contains(u"..");
    for (const QChar c : key) {
        ok = ok && ((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
                    c == u'.' || c == u'_' || c == u'-' || c == u'/' || c == u'=' || c == u'\\');
    }
    return ok ? FleetError{}
              : FleetError::make(FleetError::Kind::InvalidArgument,
                                 what + u": '" + key + u"' is not a valid key");
}

FleetError KvBucket::notConnected(const QString& what) const {
    if (native_->connected()) {
        return {};
    }
    return FleetError::make(natsConnection_IsClosed(native_->connection.get())
                                ? FleetError::Kind::Closed
                                : FleetError::Kind::Unavailable,
                            what + u": not connected to the fleet store");
}

FleetResult<std::optional<KvEntry>> KvBucket::get(const QString& key) {
    const QString what = u"read " + spec_.name + u'/' + key;
    if (FleetError bad = checkKey(key, what); !bad.ok()) {
        return bad;
    }
    if (FleetError down = notConnected(what); !down.ok()) {
        return down;
    }
    const QByteArray stream = streamName_.toUtf8();
    const QByteArray subject = (subjectPrefix_ + key).toUtf8();
    jsDirectGetMsgOptions options;
    jsDirectGetMsgOptions_Init(&options);
    options.LastBySubject = subject.constData();
    natsMsg* raw = nullptr;
    const natsStatus s =
        js_DirectGetMsg(&raw, native_->jetStream.get(), stream.constData(), nullptr, &options);
    nats::MessagePtr message(raw);
    if (s == NATS_NOT_FOUND) {
        return std::optional<KvEntry>{};
    }
    if (s == NATS_NO_RESPONDERS) {
        lost_ = true;
    }
    if (s != NATS_OK) {
        return toError(s, 0, what, false);
    }
    KvEntry entry;
    entry.key = key;
    if (const char* data = natsMsg_GetData(message.get()); data != nullptr) {
        entry.value = QByteArray(data, natsMsg_GetDataLength(message.get()));
    }
    entry.revision = natsMsg_GetSequence(message.get());
    entry.operation = operationOf(message.get());
    entry.createdNs = natsMsg_GetTime(message.get());
    return std::optional<KvEntry>(std::move(entry));
}

FleetResult<std::uint64_t> KvBucket::write(const QString& key, const QByteArray& value,
                                           std::uint64_t lastRevision, bool expectEmpty, bool deleteMarker,
                                           const QString& what) {
    if (FleetError bad = checkKey(key, what); !bad.ok()) {
        return bad;
    }
    if (value.size() > spec_.maxValueBytes) {
        return FleetError::make(FleetError::Kind::TooLarge, what + u": " + QString::number(value.size()) +
                                                                u" bytes, the bucket takes at most " +
                                                                QString::number(spec_.maxValueBytes));
    }
    if (FleetError down = notConnected(what); !down.ok()) {
        return down;
    }
    natsMsg* raw = nullptr;
    const QByteArray subject = (subjectPrefix_ + key).toUtf8();
    natsStatus s =
        natsMsg_Create(&raw, subject.constData(), nullptr, value.constData(), static_cast<int>(value.size()));
    nats::MessagePtr message(raw);
    if (s == NATS_OK && deleteMarker) {
        s = natsMsgHeader_Set(message.get(), "KV-Operation", "DEL");
    }
    jsPubOptions options;
    jsPubOptions_Init(&options);
    options.MaxWait = native_->requestTimeoutMs;
    options.ExpectLastSubjectSeq = lastRevision;
    options.ExpectNoMessage = expectEmpty;
    jsPubAck* rawAck = nullptr;
    auto code = static_cast<jsErrCode>(0);
    if (s == NATS_OK) {
        s = js_PublishMsg(&rawAck, native_->jetStream.get(), message.get(), &options, &code);
    }
    nats::PubAckPtr ack(rawAck);
    if (s == NATS_NO_RESPONDERS) {
        lost_ = true;
    }
    if (s != NATS_OK) {
        return toError(s, code, what, true);
    }
    return ack->Sequence;
}

FleetResult<std::uint64_t> KvBucket::create(const QString& key, const QByteArray& value,
                                            std::optional<KvEntry>* existing) {
    const QString what = u"create " + spec_.name + u'/' + key;
    auto first = write(key, value, 0, true, false, what);
    if (first.ok() || first.error().kind != FleetError::Kind::Conflict) {
        return first;
    }
    // A delete marker still occupies the subject: a create over it is an update at its revision.
    auto latest = get(key);
    if (!latest.ok()) {
        return latest.error();
    }
    if (!latest.value()) {
        return write(key, value, 0, true, false, what);  // it expired in between
    }
    if (latest.value()->isLive()) {
        if (existing != nullptr) {
            *existing = latest.value();
        }
        return first.error();
    }
    return write(key, value, latest.value()->revision, false, false, what);
}

FleetResult<std::uint64_t> KvBucket::update(const QString& key, const QByteArray& value,
                                            std::uint64_t revision) {
    if (revision == 0) {
        return FleetError::make(FleetError::Kind::InvalidArgument, u"update " + key + u": revision 0");
    }
    return write(key, value, revision, false, false, u"update " + spec_.name + u'/' + key);
}

FleetResult<std::uint64_t> KvBucket::put(const QString& key, const QByteArray& value) {
    return write(key, value, 0, false, false, u"put " + spec_.name + u'/' + key);
}

FleetResult<std::uint64_t> KvBucket::remove(const QString& key, std::uint64_t revision) {
    if (revision == 0) {
        return FleetError::make(FleetError::Kind::InvalidArgument, u"delete " + key + u": revision 0");
    }
    return write(key, {}, revision, false, true, u"delete " + spec_.name + u'/' + key);
}

FleetResult<std::vector<KvEntry>> KvBucket::entries(const QString& keys) {
    auto watcher = watch(keys);
    if (!watcher.ok()) {
        return watcher.error();
    }
    std::vector<KvEntry> out;
    const auto timeout = std::chrono::milliseconds(native_->requestTimeoutMs);
    for (;;) {
        auto event = watcher.value()->next(timeout);
        if (!event.ok()) {
            return event.error();
        }
        switch (event.value().kind) {
            case KvWatch::Event::Kind::Entry:
                if (event.value().entry.isLive()) {
                    out.push_back(std::move(event).value().entry);
                }
                break;
            case KvWatch::Event::Kind::CurrentValuesDone:
                return out;
            case KvWatch::Event::Kind::Idle:
                return FleetError::make(FleetError::Kind::Unavailable,
                                        u"list " + spec_.name + u": the fleet store stopped answering");
            case KvWatch::Event::Kind::Stopped:
                return FleetError::make(FleetError::Kind::Closed, u"list " + spec_.name + u": stopped");
        }
    }
}

FleetResult<std::unique_ptr<KvWatch>> KvBucket::watch(const QString& keys) {
    const QString what = u"watch " + spec_.name + u'/' + keys;
    if (FleetError down = notConnected(what); !down.ok()) {
        return down;
    }
    const QByteArray pattern = keys.toUtf8();
    kvWatcher* raw = nullptr;
    const natsStatus s = kvStore_Watch(&raw, handle_->store.get(), pattern.constData(), nullptr);
    auto handle = std::make_unique<KvWatch::Handle>();
    handle->watcher.reset(raw);
    if (s != NATS_OK) {
        return toError(s, 0, what, false);
    }
    return std::make_unique<KvWatch>(native_, std::move(handle), spec_.name);
}

}  // namespace tai::fleet
