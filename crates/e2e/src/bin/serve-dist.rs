//! Serves a built app (`dist/`) as a static host would, sending the precompressed `.br` or
//! `.gz` file next to an asset when the browser accepts it (`scripts/serve.sh` runs this).
//!
//! `serve-dist [DIR] [ADDRESS]`, by default `dist` on `127.0.0.1:8080`.

use tower_http::services::ServeDir;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "dist".into());
    let address = args.next().unwrap_or_else(|| "127.0.0.1:8080".into());
    if !std::path::Path::new(&dir).join("index.html").exists() {
        eprintln!("{dir}/index.html is missing: build the app first (trunk build --release)");
        std::process::exit(2);
    }
    let listener = match tokio::net::TcpListener::bind(&address).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {address}: {e} (set PORT to another port)");
            std::process::exit(2);
        }
    };
    let app = axum::Router::new()
        .fallback_service(ServeDir::new(&dir).precompressed_br().precompressed_gzip());
    println!("serving {dir} on http://{address}/");
    if let Err(e) = axum::serve(listener, app).await {
        eprintln!("server stopped: {e}");
        std::process::exit(1);
    }
}
