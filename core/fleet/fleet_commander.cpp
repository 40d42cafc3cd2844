#include "fleet/fleet_commander.h"

#include "fleet/fleet_connection.h"
#include "fleet/fleet_membership.h"
#include "fleet/traceparent.h"

#include <algorithm>
#include <map>
#include <set>

namespace tai::fleet {

namespace {

FleetMessage command(const FleetConnection& connection, const QString& subject, const QByteArray& data,
                     const QByteArray& traceparent) {
    FleetMessage message;
    message.subject = subject;
    message.data = data;
    message.setHeader(header::kTraceparent, traceparent);
    const QString sender = connection.config().instanceId;
    message.setHeader(header::kInstance, (sender.isEmpty() ? QStringLiteral("console") : sender).toUtf8());
    return message;
}

CommandAnswer answerFrom(const FleetMessage& message, const QString& fallbackInstance) {
    CommandAnswer answer;
    answer.outcome = CommandAnswer::Outcome::Answered;
    answer.instance = QString::fromUtf8(message.header(header::kInstance));
    if (answer.instance.isEmpty()) {
        answer.instance = fallbackInstance;
    }
    bool ok = false;
    answer.status = message.header(header::kStatus).toInt(&ok);
    if (!ok) {
        answer.status = 200;  // an answer without a status is an answer
    }
    answer.reason = QString::fromUtf8(message.header(header::kReason));
    answer.body = message.data;
    return answer;
}

CommandAnswer failed(const QString& instance, CommandAnswer::Outcome outcome, QString reason) {
    CommandAnswer answer;
    answer.instance = instance;
    answer.outcome = outcome;
    answer.reason = std::move(reason);
    return answer;
}

}  // namespace

FleetCommander::FleetCommander(std::shared_ptr<FleetConnection> connection)
    : FleetCommander(std::move(connection), Options{}) {}

FleetCommander::FleetCommander(std::shared_ptr<FleetConnection> connection, Options options)
    : connection_(std::move(connection)), options_(options) {}

CommandAnswer FleetCommander::requestOne(const QString& subject, const QString& instance,
                                         const QByteArray& data, const QByteArray& traceparent,
                                         std::chrono::milliseconds timeout) {
    if (!isValidTraceparent(traceparent)) {
        return failed(instance, CommandAnswer::Outcome::Failed, QStringLiteral("invalid traceparent"));
    }
    auto reply = connection_->request(command(*connection_, subject, data, traceparent), timeout);
    if (reply.ok()) {
        return answerFrom(reply.value(), instance);
    }
    const bool silent = reply.error().kind == FleetError::Kind::Unavailable && connection_->isConnected();
    return failed(instance, silent ? CommandAnswer::Outcome::NoReply : CommandAnswer::Outcome::Failed,
                  reply.error().message);
}

CommandAnswer FleetCommander::sendTo(const QString& instance, const QByteArray& data,
                                     const QByteArray& traceparent, std::chrono::milliseconds timeout) {
    return requestOne(connection_->names().controlSubject(instance), instance, data, traceparent, timeout);
}

CommandAnswer FleetCommander::sendDeployment(const QByteArray& request, const QByteArray& traceparent,
                                             std::chrono::milliseconds timeout) {
    return requestOne(connection_->names().deploySubject(), QStringLiteral("controller"), request,
                      traceparent, timeout);
}

FleetResult<BroadcastResult> FleetCommander::broadcast(const QByteArray& data, const QByteArray& traceparent,
                                                       std::chrono::milliseconds timeout,
                                                       QStringList expected) {
    if (!isValidTraceparent(traceparent)) {
        return FleetError::make(FleetError::Kind::InvalidArgument,
                                QStringLiteral("broadcast: invalid traceparent"));
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (expected.isEmpty()) {
        auto members = FleetMembership::liveMembers(*connection_, options_.memberTtl);
        if (!members.ok()) {
            return members.error();
        }
        for (const FleetMember& member : members.value()) {
            expected << member.instance;
        }
    }
    const std::set<QString> waitingFor(expected.begin(), expected.end());
    auto gathered = connection_->gather(
        command(*connection_, connection_->names().controlAllSubject(), data, traceparent), deadline,
        [&waitingFor](const std::vector<FleetMessage>& answers) {
            if (waitingFor.empty()) {
                return false;  // nobody known: gather until the deadline
            }
            std::set<QString> answered;
            for (const FleetMessage& answer : answers) {
                answered.insert(QString::fromUtf8(answer.header(header::kInstance)));
            }
            return std::includes(answered.begin(), answered.end(), waitingFor.begin(), waitingFor.end());
        });
    if (!gathered.ok()) {
        return gathered.error();
    }
    std::map<QString, CommandAnswer> byInstance;
    for (const QString& instance : waitingFor) {
        byInstance[instance] = failed(instance, CommandAnswer::Outcome::NoReply, QStringLiteral("no reply"));
    }
    for (const FleetMessage& message : gathered.value()) {
        CommandAnswer answer = answerFrom(message, QStringLiteral("(unnamed)"));
        byInstance[answer.instance] = answer;  // an instance that answered twice: its later answer
    }
    BroadcastResult result;
    for (auto& [instance, answer] : byInstance) {
        result.answers.push_back(std::move(answer));
    }
    return result;
}

}  // namespace tai::fleet
