#include "fleet/fleet_connection.h"

#include "fleet/fleet_subscription.h"
#include "fleet/kv_bucket.h"
#include "fleet/nats_native.h"
#include "fleet/nats_status.h"

#include <QtGlobal>

#include <condition_variable>

namespace tai::fleet {

using nats::toError;

QString connectionEventName(ConnectionEvent event) {
    switch (event) {
        case ConnectionEvent::Connected:
            return QStringLiteral("connected");
        case ConnectionEvent::Disconnected:
            return QStringLiteral("disconnected");
        case ConnectionEvent::Reconnected:
            return QStringLiteral("reconnected");
        case ConnectionEvent::Closed:
            return QStringLiteral("closed");
    }
    return QStringLiteral("unknown");
}

// The closure libnats calls back with. It outlives the connection's last callback: the destructor
// waits for Closed, which libnats delivers after every other connection event.
struct FleetConnection::Events {
    std::mutex mutex;
    std::condition_variable closedChanged;
    bool closed = false;
    std::uint64_t nextId = 1;
    std::map<std::uint64_t, Listener> listeners;

    void fire(ConnectionEvent event) {
        std::lock_guard lock(mutex);
        if (event == ConnectionEvent::Closed) {
            closed = true;
            closedChanged.notify_all();
        }
        for (const auto& [id, listener] : listeners) {
            listener(event);
        }
    }

    static void onConnected(natsConnection*, void* closure) {
        static_cast<Events*>(closure)->fire(ConnectionEvent::Connected);
    }
    static void onDisconnected(natsConnection*, void* closure) {
        static_cast<Events*>(closure)->fire(ConnectionEvent::Disconnected);
    }
    static void onReconnected(natsConnection*, void* closure) {
        static_cast<Events*>(closure)->fire(ConnectionEvent::Reconnected);
    }
    static void onClosed(natsConnection*, void* closure) {
        static_cast<Events*>(closure)->fire(ConnectionEvent::Closed);
    }
};

FleetConnection::FleetConnection(FleetConfig config, std::unique_ptr<Events> events)
    : config_(std::move(config)), names_(config_.fleetName), events_(std::move(events)) {}

FleetResult<std::shared_ptr<FleetConnection>> FleetConnection::open(FleetConfig config) {
    if (FleetError invalid = config.validate(); !invalid.ok()) {
        return invalid;
    }
    auto events = std::make_unique<Events>();
    Events* closure = events.get();

    natsOptions* rawOptions = nullptr;
    natsStatus s = natsOptions_Create(&rawOptions);
    nats::OptionsPtr options(rawOptions);

    std::vector<QByteArray> urls;
    urls.reserve(static_cast<std::size_t>(config.urls.size()));
    for (const QString& url : config.urls) {
        urls.push_back(url.toUtf8());
    }
    std::vector<const char*> urlPointers;
    urlPointers.reserve(urls.size());
    for (const QByteArray& url : urls) {
        urlPointers.push_back(url.constData());
    }
    const QByteArray name = (u"tai-" + config.fleetName + u'-' +
                             (config.instanceId.isEmpty() ? QStringLiteral("console") : config.instanceId))
                                .toUtf8();
    const QByteArray creds = config.credsFile.toUtf8();
    if (s == NATS_OK) {
        s = natsOptions_SetServers(options.get(), urlPointers.data(), static_cast<int>(urlPointers.size()));
    }
    if (s == NATS_OK && !creds.isEmpty()) {
        s = natsOptions_SetUserCredentialsFromFiles(options.get(), creds.constData(), nullptr);
    }
    if (s == NATS_OK) {
        s = natsOptions_SetName(options.get(), name.constData());
    }
    if (s == NATS_OK) {
        s = natsOptions_SetTimeout(options.get(), config.connectTimeout.count());
    }
    // FLEET.md §14.4: notice a silent partition in seconds, and never give up reconnecting.
    if (s == NATS_OK) {
        s = natsOptions_SetPingInterval(options.get(), config.pingInterval.count());
    }
    if (s == NATS_OK) {
        s = natsOptions_SetMaxPingsOut(options.get(), config.maxPingsOut);
    }
    if (s == NATS_OK) {
        s = natsOptions_SetAllowReconnect(options.get(), true);
    }
    if (s == NATS_OK) {
        s = natsOptions_SetMaxReconnect(options.get(), -1);
    }
    if (s == NATS_OK) {
        s = natsOptions_SetReconnectWait(options.get(), config.reconnectWait.count());
    }
    // A write that failed must not land minutes later from the reconnect buffer: libnats keeps at
    // most one message while reconnecting (its check runs before the append), and the callers
    // re-read before deciding anyway. Requests in flight fail at the disconnect, not at timeout.
    if (s == NATS_OK) {
        s = natsOptions_SetReconnectBufSize(options.get(), 1);
    }
    if (s == NATS_OK) {
        s = natsOptions_SetFailRequestsOnDisconnect(options.get(), true);
    }
    if (s == NATS_OK) {
        s = natsOptions_SetRetryOnFailedConnect(options.get(), true, &Events::onConnected, closure);
    }
    if (s == NATS_OK) {
        s = natsOptions_SetDisconnectedCB(options.get(), &Events::onDisconnected, closure);
    }
    if (s == NATS_OK) {
        s = natsOptions_SetReconnectedCB(options.get(), &Events::onReconnected, closure);
    }
    if (s == NATS_OK) {
        s = natsOptions_SetClosedCB(options.get(), &Events::onClosed, closure);
    }
    if (s != NATS_OK) {
        return toError(s, 0, QStringLiteral("fleet: connection options"), false);
    }

    natsConnection* rawConnection = nullptr;
    s = natsConnection_Connect(&rawConnection, options.get());
    if (s != NATS_OK && s != NATS_NOT_YET_CONNECTED) {
        // No connection object exists, so libnats will make no callback into `events`.
        return toError(s, 0, u"fleet: connecting to " + config.urls.join(u','), false);
    }
    auto native = std::make_shared<nats::NativeConnection>();
    native->connection.reset(rawConnection);
    native->requestTimeoutMs = config.requestTimeout.count();

    std::shared_ptr<FleetConnection> connection(new FleetConnection(std::move(config), std::move(events)));
    connection->native_ = native;

    jsOptions jetStreamOptions;
    jsOptions_Init(&jetStreamOptions);
    jetStreamOptions.Wait = native->requestTimeoutMs;
    jsCtx* rawJetStream = nullptr;
    s = natsConnection_JetStream(&rawJetStream, rawConnection, &jetStreamOptions);
    native->jetStream.reset(rawJetStream);
    if (s != NATS_OK) {
        return toError(s, 0, QStringLiteral("fleet: JetStream context"), false);
    }
    return connection;
}

FleetConnection::~FleetConnection() {
    {
        std::lock_guard lock(cacheMutex_);
        buckets_.clear();
    }
    if (native_ && native_->connection) {
        natsConnection_Close(native_->connection.get());
        std::unique_lock lock(events_->mutex);
        const bool closed = events_->closedChanged.wait_for(lock, std::chrono::seconds(5),
                                                            [this] { return events_->closed; });
        if (!closed) {
            // libnats still holds the closure: leaking it is better than a callback into freed memory.
            qWarning("fleet: the connection did not report closed within 5 s; keeping its callback state");
            lock.unlock();
            (void)events_.release();
        }
    }
    native_.reset();
}

bool FleetConnection::isConnected() const {
    return native_ && native_->connected();
}

std::uint64_t FleetConnection::addListener(Listener listener) {
    std::lock_guard lock(events_->mutex);
    const std::uint64_t id = events_->nextId++;
    events_->listeners.emplace(id, std::move(listener));
    return id;
}

void FleetConnection::removeListener(std::uint64_t id) {
    std::lock_guard lock(events_->mutex);
    events_->listeners.erase(id);
}

FleetError FleetConnection::unavailableUnlessConnected(const QString& what) const {
    if (isConnected()) {
        return {};
    }
    const bool closed = native_ && natsConnection_IsClosed(native_->connection.get());
    return FleetError::make(closed ? FleetError::Kind::Closed : FleetError::Kind::Unavailable,
                            what + (closed ? u": the fleet connection is closed"
                                           : u": not connected to the fleet store (reconnecting)"));
}

FleetResult<std::shared_ptr<KvBucket>> FleetConnection::bucket(const KvBucketSpec& spec) {
    {
        std::lock_guard lock(cacheMutex_);
        if (auto it = buckets_.find(spec.name); it != buckets_.end() && !it->second->isLost()) {
            if (!(it->second->spec() == spec)) {
                return FleetError::make(
                    FleetError::Kind::InvalidArgument,
                    u"bucket " + spec.name + u" is already open with another TTL or size");
            }
            return it->second;
        }
    }
    if (FleetError down = unavailableUnlessConnected(u"bucket " + spec.name); !down.ok()) {
        return down;
    }
    // Made outside the lock: a hung server must not stall callers of buckets that already exist.
    auto made = KvBucket::openOrCreate(native_, spec);
    if (!made.ok()) {
        return made.error();
    }
    std::lock_guard lock(cacheMutex_);
    auto& slot = buckets_[spec.name];
    if (!slot || slot->isLost()) {
        slot = made.value();
    }
    return slot;
}

FleetError FleetConnection::publish(const FleetMessage& message) {
    const QString what = u"publish " + message.subject;
    if (FleetError down = unavailableUnlessConnected(what); !down.ok()) {
        return down;
    }
    natsStatus s = NATS_OK;
    nats::MessagePtr msg = nats::makeMessage(message, &s);
    if (s == NATS_OK) {
        s = natsConnection_PublishMsg(native_->connection.get(), msg.get());
    }
    return toError(s, 0, what, false);
}

FleetResult<FleetMessage> FleetConnection::request(const FleetMessage& message,
                                                   std::chrono::milliseconds timeout) {
    const QString what = u"request " + message.subject;
    if (FleetError down = unavailableUnlessConnected(what); !down.ok()) {
        return down;
    }
    natsStatus s = NATS_OK;
    nats::MessagePtr msg = nats::makeMessage(message, &s);
    natsMsg* rawReply = nullptr;
    if (s == NATS_OK) {
        s = natsConnection_RequestMsg(&rawReply, native_->connection.get(), msg.get(), timeout.count());
    }
    nats::MessagePtr reply(rawReply);
    if (s == NATS_TIMEOUT) {
        return FleetError::make(FleetError::Kind::Unavailable,
                                what + u": no answer within " + QString::number(timeout.count()) + u" ms");
    }
    if (s == NATS_NO_RESPONDERS) {
        return FleetError::make(FleetError::Kind::NotFound, what + u": nobody is listening");
    }
    if (s != NATS_OK) {
        return toError(s, 0, what, false);
    }
    return nats::copyMessage(reply.get());
}

FleetResult<std::vector<FleetMessage>> FleetConnection::gather(
    FleetMessage message, std::chrono::steady_clock::time_point deadline,
    const std::function<bool(const std::vector<FleetMessage>&)>& enough) {
    const QString what = u"gather " + message.subject;
    if (FleetError down = unavailableUnlessConnected(what); !down.ok()) {
        return down;
    }
    natsInbox* rawInbox = nullptr;
    natsStatus s = natsInbox_Create(&rawInbox);
    nats::InboxPtr inbox(rawInbox);
    natsSubscription* rawSubscription = nullptr;
    if (s == NATS_OK) {
        s = natsConnection_SubscribeSync(&rawSubscription, native_->connection.get(), inbox.get());
    }
    nats::SubscriptionPtr subscription(rawSubscription);
    if (s != NATS_OK) {
        return toError(s, 0, what, false);
    }
    message.reply = QString::fromUtf8(inbox.get());
    nats::MessagePtr msg = nats::makeMessage(message, &s);
    if (s == NATS_OK) {
        s = natsConnection_PublishMsg(native_->connection.get(), msg.get());
    }
    if (s != NATS_OK) {
        return toError(s, 0, what, false);
    }
    std::vector<FleetMessage> answers;
    while (!enough(answers)) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            break;
        }
        natsMsg* rawAnswer = nullptr;
        s = natsSubscription_NextMsg(&rawAnswer, subscription.get(), left.count());
        nats::MessagePtr answer(rawAnswer);
        if (s == NATS_TIMEOUT) {
            break;
        }
        if (s != NATS_OK) {
            return toError(s, 0, what, false);
        }
        if (natsMsg_IsNoResponders(answer.get())) {
            break;  // nobody subscribes: waiting for the deadline would tell nothing more
        }
        answers.push_back(nats::copyMessage(answer.get()));
    }
    natsSubscription_Unsubscribe(subscription.get());
    return answers;
}

FleetResult<std::unique_ptr<FleetSubscription>> FleetConnection::subscribe(
    const QString& subject, const QString& queueGroup, std::function<void(FleetMessage)> sink) {
    return FleetSubscription::open(native_, subject, queueGroup, std::move(sink));
}

void FleetConnection::shutdownLibrary() {
    nats_CloseAndWait(5000);
}

void FleetConnection::releaseThreadMemory() {
    nats_ReleaseThreadMemory();
}

}  // namespace tai::fleet
