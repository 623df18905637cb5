//! Adaptive sampling in the demo account, on real measurements: the within-noise statement and measured against predicted points.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_account_replays_real_measurements_adaptively_and_says_how_sure_it_is() {
    with_browser("12-measured-adaptive", 1.0, async |b| {
        b.goto("").await;
        // The measured functions load next to the modelled ones, with their notice shipped.
        let choice = "#demo-functions input[value=s3-writer-python311-arm64]";
        b.click(choice).await;
        let about = b.text("#demo-functions").await;
        assert!(about.contains("measurements of a real function"), "{about}");
        let sizes = b
            .find("#power-values")
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap();
        assert!(
            sizes.starts_with("128, 256, 384") && sizes.ends_with("1920, 2048"),
            "{sizes}"
        );
        let license = b
            .js("return fetch('lambda-benchmark/lambda-benchmark-LICENSE').then(r => r.text());")
            .await;
        assert!(
            license.as_str().unwrap().contains("MIT License"),
            "{license}"
        );

        b.find("#sampling")
            .await
            .select_by_value("adaptive")
            .await
            .unwrap();
        b.click("#start").await;
        b.wait_text("#phase", "finished", 60).await;
        let noise = b.text("#results p.noise").await;
        assert!(noise.contains("95 % intervals"), "{noise}");
        let sampling = b.text("#results p.sampling").await;
        assert!(
            sampling.contains("against the grid's 160 and 16"),
            "{sampling}"
        );
        // Some sizes are skipped: they fold into one line until asked for.
        assert!(!b.exists("#results tr.unmeasured").await);
        b.click("#show-unmeasured").await;
        assert!(
            b.exists("#results tr.unmeasured").await,
            "some sizes are skipped"
        );
        let label = b.attr("#chart-tradeoff", "aria-label").await;
        assert!(label.contains("were not measured"), "{label}");
        let roles = b.text(".sizes").await;
        assert!(
            roles.contains("dropped: ") || roles.contains("racing: "),
            "{roles}"
        );
        b.assert_console_clean().await;
    })
    .await;
}
