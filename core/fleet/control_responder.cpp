#include "fleet/control_responder.h"

#include "fleet/fleet_connection.h"
#include "fleet/fleet_io_thread.h"
#include "fleet/fleet_subscription.h"

namespace tai::fleet {

ControlResponder::ControlResponder(std::shared_ptr<FleetConnection> connection,
                                   std::shared_ptr<FleetIoThread> io, QObject* parent)
    : QObject(parent), connection_(std::move(connection)), io_(std::move(io)) {}

ControlResponder::~ControlResponder() {
    stop();
}

FleetResult<std::unique_ptr<FleetSubscription>> ControlResponder::subscribe(const QString& subject,
                                                                            const QString& queueGroup,
                                                                            FleetRequest::Target target) {
    // The sink runs on a libnats thread. `this` is safe there: the destructor ends every
    // subscription (waiting out its last callback) before the QObject goes, and Qt drops events
    // still queued for a destroyed object.
    return connection_->subscribe(subject, queueGroup, [this, target](FleetMessage message) {
        QMetaObject::invokeMethod(
            this, [this, target, message = std::move(message)] { dispatch(target, message); },
            Qt::QueuedConnection);
    });
}

FleetError ControlResponder::start(Handler handler) {
    const QString instance = connection_->config().instanceId;
    if (instance.isEmpty()) {
        return FleetError::make(FleetError::Kind::InvalidArgument,
                                QStringLiteral("control: an instance id is needed to answer commands"));
    }
    stop();
    handler_ = std::move(handler);
    auto own = subscribe(connection_->names().controlSubject(instance), {}, FleetRequest::Target::Instance);
    if (!own.ok()) {
        return own.error();
    }
    auto all = subscribe(connection_->names().controlAllSubject(), {}, FleetRequest::Target::All);
    if (!all.ok()) {
        return all.error();
    }
    own_ = std::move(own).value();
    all_ = std::move(all).value();
    return {};
}

FleetError ControlResponder::serveDeployments(Handler handler) {
    stopServingDeployments();
    deployHandler_ = std::move(handler);
    auto deploy = subscribe(connection_->names().deploySubject(), connection_->names().deployQueueGroup(),
                            FleetRequest::Target::Deploy);
    if (!deploy.ok()) {
        return deploy.error();
    }
    deploy_ = std::move(deploy).value();
    return {};
}

void ControlResponder::stopServingDeployments() {
    deploy_.reset();
}

void ControlResponder::stop() {
    own_.reset();
    all_.reset();
    deploy_.reset();
}

void ControlResponder::dispatch(FleetRequest::Target target, const FleetMessage& message) {
    FleetRequest request;
    request.target = target;
    request.data = message.data;
    request.traceparent = message.header(header::kTraceparent);
    request.from = QString::fromUtf8(message.header(header::kInstance));
    request.message = message;
    FleetReply reply(connection_, io_, message.reply, request.traceparent);
    const Handler& handler = target == FleetRequest::Target::Deploy ? deployHandler_ : handler_;
    if (!handler || (target == FleetRequest::Target::Deploy && !deploy_)) {
        reply.send({503, QStringLiteral("not serving"), {}});
        return;
    }
    handler(request, reply);
}

}  // namespace tai::fleet
