#pragma once

#include "engine/engine_command.h"
#include "engine/engine_snapshot.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace tai::ui {

class StatusLight;

// One circuit breaker: its state (forced marked), failures against the threshold, the countdown
// to half-open and the current backoff while open, probes while half-open, recent transitions,
// and the operator controls. Clicks become ControlBreaker commands.
class BreakerCard : public QFrame {
    Q_OBJECT
public:
    // A compact card (one line of text, small light, no transition list) suits the many
    // per-region deployment breakers.
    BreakerCard(const QString& breaker, bool compact, QWidget* parent = nullptr);

    // `cause` is what the breaker guards failing with, when it is known (the storage breaker:
    // the audit store's error); it heads the detail line.
    void showBreaker(const BreakerView& view, TimePoint now, const QString& cause = {});
    QString stateText() const;
    QString detailText() const;

Q_SIGNALS:
    void controlRequested(const QString& breaker, tai::BreakerControl control);

private:
    QPushButton* addControl(const QString& text, const QString& name, BreakerControl control,
                            const QString& tip);

    QString breaker_;
    bool compact_;
    StatusLight* light_;
    QLabel* title_;
    QLabel* failures_;
    QLabel* detail_;
    QLabel* transitions_;
};

}  // namespace tai::ui
