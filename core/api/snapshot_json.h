#pragma once

#include "engine/engine_snapshot.h"

#include <QJsonArray>
#include <QJsonObject>

namespace tai {

// GET /v1/state and GET /v1/alerts.
QJsonObject snapshotJson(const EngineSnapshot& snapshot);
QJsonArray alertsJson(const EngineSnapshot& snapshot);       // pending and firing
QJsonObject alertBoardJson(const EngineSnapshot& snapshot);  // light, alerts, history, silences

}  // namespace tai
