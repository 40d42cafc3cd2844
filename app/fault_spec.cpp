#include "fault_spec.h"

#include "engine/command_spec.h"

namespace tai::app {

// Both go through the command language's one parser (engine/command_spec.h): the same ranges and
// messages as an HTTP body or a scenario event.
std::optional<GatewayFault> parseFaultSpec(const QString& spec, QString* error) {
    const auto parsed = parseCommandSpec(QStringLiteral("--fault"), spec);
    if (const auto* message = std::get_if<QString>(&parsed)) {
        *error = *message;
        return std::nullopt;
    }
    return std::get<SetGatewayFault>(std::get<EngineCommand>(parsed)).fault;
}

std::optional<InfraFault> parseInfraFaultSpec(const QString& spec, QString* error) {
    const auto parsed = parseCommandSpec(QStringLiteral("--infra-fault"), spec);
    if (const auto* message = std::get_if<QString>(&parsed)) {
        *error = *message;
        return std::nullopt;
    }
    return std::get<SetInfraFault>(std::get<EngineCommand>(parsed)).fault;
}

}  // namespace tai::app
