#pragma once

#include "fleet/fleet_error.h"
#include "fleet/fleet_reply.h"
#include "fleet/fleet_request.h"

#include <QObject>

#include <functional>
#include <memory>

namespace tai::fleet {

class FleetConnection;
class FleetIoThread;
class FleetSubscription;

// Serves commands on tai.<fleet>.ctl.<instance> and tai.<fleet>.ctl.all and, while this instance is
// the controller, deployment requests on tai.<fleet>.deploy in a queue group (one controller gets
// each). Handlers run on this object's thread; they answer through the FleetReply, at once or
// later. libnats' delivery threads only copy the message and queue it here.
class ControlResponder : public QObject {
    Q_OBJECT
public:
    using Handler = std::function<void(const FleetRequest& request, FleetReply reply)>;

    ControlResponder(std::shared_ptr<FleetConnection> connection, std::shared_ptr<FleetIoThread> io,
                     QObject* parent = nullptr);
    ~ControlResponder() override;  // unsubscribes; no handler runs after it

    // Subscribe calls are short and never wait on the server, but they are libnats calls: make
    // them from an engine thread, not the GUI thread.
    FleetError start(Handler handler);
    FleetError serveDeployments(Handler handler);
    void stopServingDeployments();
    void stop();

    bool servesDeployments() const { return deploy_ != nullptr; }

private:
    FleetResult<std::unique_ptr<FleetSubscription>> subscribe(const QString& subject,
                                                              const QString& queueGroup,
                                                              FleetRequest::Target target);
    void dispatch(FleetRequest::Target target, const FleetMessage& message);

    std::shared_ptr<FleetConnection> connection_;
    std::shared_ptr<FleetIoThread> io_;
    Handler handler_;
    Handler deployHandler_;
    std::unique_ptr<FleetSubscription> own_;
    std::unique_ptr<FleetSubscription> all_;
    std::unique_ptr<FleetSubscription> deploy_;
};

}  // namespace tai::fleet
