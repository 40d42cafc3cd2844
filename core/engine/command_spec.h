#pragma once

#include "engine/command_parser.h"

#include <variant>

namespace tai {

// The command line's short specs, as the same commands every other entry point gives:
//   --fault down,error=R,timeout=R,latency=MS,jitter=MS       → gateway.fault ("none": healthy)
//   --infra-fault region=R,version=V,error=R,p99=MS,actions=R,capacity=N → infra.fault
//   --deploy SERVICE:VERSION                                  → deploy
// A spec becomes the command's JSON form and goes through parseCommand(), so ranges and messages
// are the parser's. Errors name the option: "--fault: error_rate: must be a number from 0 to 1".
std::variant<EngineCommand, QString> parseCommandSpec(const QString& option, const QString& spec,
                                                      const QString& actor = QStringLiteral("cli"));

// The JSON form of a spec, before parsing (what parseCommandSpec parses).
std::variant<QJsonObject, QString> commandObjectFromSpec(const QString& option, const QString& spec);

}  // namespace tai
