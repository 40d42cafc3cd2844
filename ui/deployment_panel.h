#pragma once

#include "deployments/rollout_types.h"
#include "engine/engine_snapshot.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace tai::ui {

class DeployForm;
class RolloutCard;

// Deployment orchestration: the request form, active infrastructure faults, and one card per
// rollout, newest first.
class DeploymentPanel : public QWidget {
    Q_OBJECT
public:
    DeploymentPanel(const QStringList& regions, QWidget* parent = nullptr);

    void showSnapshot(const EngineSnapshot& snapshot);
    DeployForm* form() const { return form_; }
    RolloutCard* card(const QString& deployment) const { return cards_.value(deployment); }
    int activeCount() const { return active_; }

Q_SIGNALS:
    void controlRequested(const QString& deployment, tai::RolloutControl control, const QString& region);
    void deploymentRequested(const QJsonObject& request);
    void undoRequested(const QString& service, int revision);

private:
    DeployForm* form_;
    QLabel* faults_;
    QLabel* empty_;
    QVBoxLayout* list_;
    QHash<QString, RolloutCard*> cards_;
    int active_ = 0;
};

}  // namespace tai::ui
