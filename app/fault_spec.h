#pragma once

#include "deployments/infra_simulator.h"
#include "payments/gateway_simulator.h"

#include <QString>

#include <optional>

namespace tai::app {

// "--fault" syntax: a comma-separated list of down, error=R, timeout=R, latency=MS, jitter=MS,
// with rates from 0 to 1. Example: "error=0.3,latency=200,jitter=50". "none" clears.
std::optional<GatewayFault> parseFaultSpec(const QString& spec, QString* error);

// "--infra-fault" syntax: region=R (required), version=V, error=R, p99=MS, actions=R, capacity=N.
std::optional<InfraFault> parseInfraFaultSpec(const QString& spec, QString* error);

}  // namespace tai::app
