#pragma once

#include "trace/trace_store.h"

#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace tai::ui {

// A Gantt chart of one trace's spans: one row per span, indented by depth, bars on a shared
// time axis, errors in red. Clicking a row selects that span.
class TraceGantt : public QWidget {
    Q_OBJECT
public:
    explicit TraceGantt(QWidget* parent = nullptr);
    void setTrace(std::shared_ptr<const PaymentTrace> trace);
    int selectedSpan() const { return selected_; }
    void selectSpan(int index);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void spanSelected(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    std::shared_ptr<const PaymentTrace> trace_;
    std::vector<Span> spans_;
    std::vector<int> depth_;
    int selected_ = 0;
};

// The trace view: search kept traces by trace id, customer or outcome; the results; the Gantt
// chart of the chosen one; the attributes of the chosen span; "Why was this blocked?" and an
// OTLP/JSON export of the trace.
class TraceView : public QWidget {
    Q_OBJECT
public:
    explicit TraceView(QWidget* parent = nullptr);
    void setStore(TraceStore* store);

    void search();
    bool showTrace(const QString& traceId);  // false when the trace was not kept
    QLineEdit* traceField() const { return traceId_; }
    QComboBox* outcomeFilter() const { return outcome_; }
    QTableWidget* results() const { return results_; }
    TraceGantt* gantt() const { return gantt_; }
    std::shared_ptr<const PaymentTrace> current() const { return current_; }
    // Until the operator searches or picks a row, the view follows the newest kept trace.
    bool following() const { return !picked_; }

Q_SIGNALS:
    void whyRequested(const QString& traceId);

private:
    void showAttributes(int span);

    TraceStore* store_ = nullptr;
    bool picked_ = false;
    std::shared_ptr<const PaymentTrace> current_;
    QLineEdit* traceId_;
    QLineEdit* customer_;
    QComboBox* outcome_;
    QLabel* status_;
    QTableWidget* results_;
    TraceGantt* gantt_;
    QTableWidget* attributes_;
};

}  // namespace tai::ui
