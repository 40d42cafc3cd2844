#include "engine/engine_command.h"

namespace tai {

QString toString(BreakerControl control) {
    switch (control) {
        case BreakerControl::ForceOpen:
            return QStringLiteral("force_open");
        case BreakerControl::ForceHalfOpen:
            return QStringLiteral("force_half_open");
        case BreakerControl::ForceClosed:
            return QStringLiteral("force_closed");
        case BreakerControl::Release:
            return QStringLiteral("release");
    }
    return {};
}

const CommandOrigin& originOf(const EngineCommand& command) {
    return std::visit([](const auto& c) -> const CommandOrigin& { return c.origin; }, command);
}

}  // namespace tai
