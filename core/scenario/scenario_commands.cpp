#include "scenario/scenario_commands.h"

#include "engine/command_parser.h"

#include "payments/payment_signal.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace tai {

ScenarioAction actionFor(const ScenarioEvent& event) {
    if (event.action == u"payment") {
        return QJsonDocument(event.params).toJson(QJsonDocument::Compact);
    }
    QJsonObject object = event.params;
    object.insert(QStringLiteral("do"), event.action);
    CommandParseOptions options;
    options.allowForS = true;
    options.defaultActor = QStringLiteral("scenario");
    // The file was validated when it was loaded, so this parses.
    return std::get<ParsedCommand>(parseCommand(object, options)).command;
}

QJsonObject eventFor(const EngineCommand& command) {
    return commandJson(command);
}

std::optional<QJsonObject> eventForPayment(const QByteArray& json) {
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (!document.isObject() || std::holds_alternative<SignalError>(parsePaymentJson(json))) {
        return std::nullopt;
    }
    const QJsonObject given = document.object();
    QJsonObject e{{QStringLiteral("do"), QStringLiteral("payment")}};
    for (const char* key :
         {"id", "idempotency_key", "customer_id", "merchant_id", "amount", "currency", "timestamp", "sim"}) {
        if (given.contains(QLatin1String(key))) {
            e.insert(QLatin1String(key), given.value(QLatin1String(key)));
        }
    }
    return e;
}

std::vector<ScenarioEvent> expandTimeline(const Scenario& scenario) {
    std::vector<ScenarioEvent> timeline = scenario.events;
    for (ScenarioEvent& event : timeline) {  // a traffic change keeps what it does not mention
        if (event.action == u"traffic") {
            const std::pair<const char*, QJsonValue> defaults[] = {
                {"payments_per_s", scenario.paymentsPerS},
                {"fraudster_share", scenario.fraudsterShare},
                {"customers", scenario.customers}};
            for (const auto& [key, value] : defaults) {
                if (!event.params.contains(QLatin1String(key))) {
                    event.params.insert(QLatin1String(key), value);
                }
            }
        }
    }
    for (const ScenarioEvent& event : scenario.events) {
        const QJsonValue forS = event.params.value(QStringLiteral("for_s"));
        if (!forS.isDouble() || (event.action != u"gateway.fault" && event.action != u"traffic")) {
            continue;  // infra faults expire inside the simulator
        }
        ScenarioEvent end;
        end.atS = event.atS + forS.toDouble();
        end.line = event.line;
        if (end.atS > scenario.durationS) {
            continue;
        }
        if (event.action == u"gateway.fault") {
            end.action = QStringLiteral("gateway.fault");  // all zero: healthy again
            end.params = {{QStringLiteral("reason"), QStringLiteral("fault ended (for_s)")}};
        } else {
            end.action = QStringLiteral("traffic");
            end.params = {{QStringLiteral("payments_per_s"), scenario.paymentsPerS},
                          {QStringLiteral("fraudster_share"), scenario.fraudsterShare},
                          {QStringLiteral("customers"), scenario.customers},
                          {QStringLiteral("reason"), QStringLiteral("back to the profile (for_s)")}};
        }
        timeline.push_back(end);
    }
    std::stable_sort(timeline.begin(), timeline.end(),
                     [](const ScenarioEvent& a, const ScenarioEvent& b) { return a.atS < b.atS; });
    return timeline;
}

}  // namespace tai
