//! The monthly answer in the browser: a demo run with the function's traffic shows each size's
//! month and the change against the current size, the traffic can be changed without a new
//! run, and a share link carries it.

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_demo_run_with_monthly_traffic_answers_in_money_per_month() {
    with_browser("14-monthly", 1.0, async |b| {
        b.goto("").await;
        b.fill("#monthly-invocations", "30,000,000").await;
        // The refinements are Advanced fields, folded on load.
        b.click("#advanced > summary").await;
        b.click("#free-tier").await;
        b.fill("#other-monthly-gb-seconds", "6,000,000").await;
        b.fill("#cold-start-rate", "0.05").await;
        // The form's JSON input carries every key.
        b.click("#estimate ~ details summary").await;
        let json = b.text("#input-json").await;
        assert!(json.contains("\"monthlyInvocations\": 30000000"), "{json}");
        assert!(json.contains("\"freeTier\": true"), "{json}");
        assert!(
            json.contains("\"otherMonthlyGbSeconds\": 6000000"),
            "{json}"
        );
        assert!(json.contains("\"coldStartRate\": 0.05"), "{json}");
        b.click("#start").await;
        b.wait_text("#phase", "finished", 30).await;

        let statement = b.text("#results .month-statement").await;
        let best = b.text("[data-strategy=cost] strong").await;
        assert!(
            statement.starts_with(&format!("{best}: $")) && statement.contains("/month"),
            "{statement} (best {best})"
        );
        // The demo function runs at 1024 MB, one of the sizes: the change is against it.
        assert!(
            statement.contains("than the current 1024 MB") || best == "1024 MB",
            "{statement}"
        );
        let assumptions = b.text("#results .month-assumptions").await;
        assert!(
            assumptions.contains("30,000,000 invocations a month (as given)")
                && assumptions.contains("free tier taken off")
                && assumptions.contains("on top of the account's other 6,000,000 GB-seconds"),
            "{assumptions}"
        );
        let cold = b.text("#results .month-cold").await;
        assert!(
            cold.contains("at 5.0 % of invocations (coldStartRate)"),
            "{cold}"
        );
        // Every size's month is one click away, folded under the answer.
        b.click("#results .month-table > summary").await;
        let month_rows = b
            .js(r#"return document.querySelectorAll("table.month tbody tr").length;"#)
            .await;
        // image-resizer runs out of memory at 128 MB: a size that failed has no month.
        assert_eq!(month_rows, 5);
        let at_3008 = b
            .text(r#"table.month tr[data-memory="3008"] .month-cost"#)
            .await;

        // Ten times the traffic, no new run: the month of every size follows.
        b.fill("#view-monthly", "300000000").await;
        b.click("#results-title").await; // the change event fires when the field loses focus
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while b
            .text(r#"table.month tr[data-memory="3008"] .month-cost"#)
            .await
            == at_3008
        {
            assert!(
                std::time::Instant::now() < deadline,
                "the month did not follow the traffic"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let assumptions = b.text("#results .month-assumptions").await;
        assert!(
            assumptions.contains("300,000,000 invocations"),
            "{assumptions}"
        );

        // The link carries the viewed traffic.
        let link = b.share_link().await;
        let hash = link.split_once('#').unwrap().1.to_owned();
        b.goto(&format!("#{hash}")).await;
        b.find("#shared").await;
        let shared = b.text("#shared .month-assumptions").await;
        assert!(shared.contains("300,000,000 invocations"), "{shared}");
        b.assert_console_clean().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cloudwatch_in_the_demo_account_is_refused_with_what_to_do() {
    with_browser("15-monthly-demo-cloudwatch", 1.0, async |b| {
        b.goto("").await;
        // The button belongs to an AWS account; typing the word is refused at the start.
        assert!(!b.exists("#monthly-from-cloudwatch").await);
        b.fill("#monthly-invocations", "cloudwatch").await;
        b.click("#start").await;
        let text = b.wait_text("#run-error", "needs an AWS account", 30).await;
        assert!(
            text.contains("Type the number of invocations a month"),
            "{text}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn in_an_aws_account_the_traffic_is_read_from_cloudwatch_when_the_run_starts() {
    let emulator = Emulator::start("0.01");
    let before = emulator.function();
    with_browser("16-monthly-cloudwatch", 1.0, async |b| {
        b.goto("").await;
        b.use_emulator(&emulator).await;
        b.fill("#num", "5").await;
        b.click("#monthly-from-cloudwatch").await;
        let field = b
            .find("#monthly-invocations")
            .await
            .prop("value")
            .await
            .unwrap();
        assert_eq!(field.as_deref(), Some("cloudwatch"));
        b.click("#start").await;
        b.wait_text("#phase", "finished", 60).await;
        // The emulator's metric: 12,000,000 invocations over the last 30 days.
        let assumptions = b.text("#results .month-assumptions").await;
        assert!(
            assumptions.contains(
                "12,000,000 invocations a month (the function's Invocations over the last 30 days)"
            ),
            "{assumptions}"
        );
        emulator.assert_as_before(&before);
        b.assert_console_clean().await;
    })
    .await;
}
