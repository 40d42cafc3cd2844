#include "fleet/fleet_config.h"

#include "fleet/fleet_names.h"

#include <QFileInfo>
#include <QUrl>

namespace tai::fleet {

FleetError FleetConfig::validate() const {
    const auto invalid = [](QString message) {
        return FleetError::make(FleetError::Kind::InvalidArgument, std::move(message));
    };
    if (urls.isEmpty()) {
        return invalid(QStringLiteral("fleet: no server URL given (nats://HOST:PORT)"));
    }
    for (const QString& url : urls) {
        const QUrl parsed(url, QUrl::StrictMode);
        const QString scheme = parsed.scheme();
        if (!parsed.isValid() || (scheme != u"nats" && scheme != u"tls") || parsed.host().isEmpty() ||
            parsed.port() <= 0) {
            return invalid(u"fleet: server URL '" + url + u"' is not nats://HOST:PORT");
        }
    }
    if (!credsFile.isEmpty() && !QFileInfo(credsFile).isReadable()) {
        return invalid(u"fleet: creds file '" + credsFile + u"' cannot be read");
    }
    if (!FleetNames::isValidFleetName(fleetName)) {
        return invalid(u"fleet: fleet name '" + fleetName + u"' must be 1-64 of A-Z a-z 0-9 _ -");
    }
    if (!instanceId.isEmpty() && !FleetNames::isValidInstanceId(instanceId)) {
        return invalid(u"fleet: instance id '" + instanceId +
                       u"' must be 1-64 of A-Z a-z 0-9 _ - and not 'all'");
    }
    if (requestTimeout.count() <= 0 || connectTimeout.count() <= 0 || pingInterval.count() <= 0 ||
        reconnectWait.count() < 0) {
        return invalid(QStringLiteral("fleet: timeouts must be positive"));
    }
    if (maxPingsOut < 1) {
        return invalid(QStringLiteral("fleet: maxPingsOut must be at least 1"));
    }
    return {};
}

}  // namespace tai::fleet
