#include "fleet/fleet_subscription.h"

#include "fleet/nats_native.h"
#include "fleet/nats_status.h"

#include <QtGlobal>

#include <condition_variable>
#include <mutex>

namespace tai::fleet {

struct FleetSubscription::State {
    Sink sink;
    nats::SubscriptionPtr subscription;
    std::mutex mutex;
    std::condition_variable completeChanged;
    bool complete = false;

    static void onMessage(natsConnection*, natsSubscription*, natsMsg* raw, void* closure) {
        nats::MessagePtr message(raw);
        static_cast<State*>(closure)->sink(nats::copyMessage(message.get()));
    }
    // libnats: called once the subscription is closed and the handler has returned for good.
    static void onComplete(void* closure) {
        auto* state = static_cast<State*>(closure);
        std::lock_guard lock(state->mutex);
        state->complete = true;
        state->completeChanged.notify_all();
    }
};

FleetSubscription::FleetSubscription(std::shared_ptr<nats::NativeConnection> native, QString subject,
                                     std::unique_ptr<State> state)
    : native_(std::move(native)), subject_(std::move(subject)), state_(std::move(state)) {}

FleetResult<std::unique_ptr<FleetSubscription>> FleetSubscription::open(
    std::shared_ptr<nats::NativeConnection> native, const QString& subject, const QString& queueGroup,
    Sink sink) {
    const QString what = u"subscribe " + subject;
    auto state = std::make_unique<State>();
    state->sink = std::move(sink);
    const QByteArray subjectBytes = subject.toUtf8();
    const QByteArray queueBytes = queueGroup.toUtf8();
    natsSubscription* raw = nullptr;
    natsStatus s =
        queueGroup.isEmpty()
            ? natsConnection_Subscribe(&raw, native->connection.get(), subjectBytes.constData(),
                                       &State::onMessage, state.get())
            : natsConnection_QueueSubscribe(&raw, native->connection.get(), subjectBytes.constData(),
                                            queueBytes.constData(), &State::onMessage, state.get());
    state->subscription.reset(raw);
    if (s == NATS_OK) {
        s = natsSubscription_SetOnCompleteCB(raw, &State::onComplete, state.get());
    }
    if (s == NATS_OK && native->connected()) {
        // One round trip, so that the server knows the subscription when open() returns: a command
        // sent right after must not find nobody listening. (While disconnected, libnats subscribes
        // again on reconnect.)
        const natsStatus flushed =
            natsConnection_FlushTimeout(native->connection.get(), native->requestTimeoutMs);
        if (flushed != NATS_OK) {
            qWarning("fleet: subscription %s not confirmed by the server yet (%s)", qUtf8Printable(subject),
                     natsStatus_GetText(flushed));
        }
    }
    if (s != NATS_OK) {
        if (raw != nullptr) {
            // Subscribed but without a completion callback: close it and let libnats finish
            // delivering before the state goes (no message can arrive for a subject nobody published
            // to yet, but do not bet memory on it).
            natsSubscription_Unsubscribe(raw);
            (void)state.release();
        }
        return nats::toError(s, 0, what, false);
    }
    return std::unique_ptr<FleetSubscription>(
        new FleetSubscription(std::move(native), subject, std::move(state)));
}

FleetSubscription::~FleetSubscription() {
    // Unsubscribing a subscription the closed connection already ended fails harmlessly; either
    // way libnats makes the completion callback.
    natsSubscription_Unsubscribe(state_->subscription.get());
    if (native_->connected()) {
        // As with subscribing: once this returns, the server routes nothing more here (a queue
        // group's next message goes to another member, not to a closed subscription).
        (void)natsConnection_FlushTimeout(native_->connection.get(), native_->requestTimeoutMs);
    }
    std::unique_lock lock(state_->mutex);
    if (!state_->completeChanged.wait_for(lock, std::chrono::seconds(5),
                                          [this] { return state_->complete; })) {
        qWarning("fleet: subscription %s did not complete within 5 s; keeping its callback state",
                 qUtf8Printable(subject_));
        lock.unlock();
        (void)state_.release();
        return;
    }
    lock.unlock();
    state_->subscription.reset();
}

}  // namespace tai::fleet
