#pragma once

#include "engine/engine_snapshot.h"

#include <QColor>
#include <QWidget>

class QLabel;

namespace tai::ui {

class KpiTile;
class StatusLight;

// The top of the window: the overall Andon light with its reason in words, the headline KPIs,
// and the fault that is active right now.
class AndonHeader : public QWidget {
    Q_OBJECT
public:
    explicit AndonHeader(QWidget* parent = nullptr);

    void showSnapshot(const EngineSnapshot& snapshot);

    QString lightWord() const;
    QColor lightRing() const;  // invalid unless a silenced alert is worse than the light
    QString reason() const;
    QString faultText() const;
    QString tileValue(const QString& name) const;

private:
    StatusLight* light_;
    QLabel* reason_;
    QLabel* fault_;
    QLabel* clock_;
    KpiTile* throughput_;
    KpiTile* success_;
    KpiTile* reject_;
    KpiTile* p50_;
    KpiTile* p99_;
    KpiTile* alerts_;
};

}  // namespace tai::ui
