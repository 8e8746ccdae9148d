//! Screenshots read from the X server (Xvfb): the whole screen, which the app's window fills
//! (both 1280×800), as PNG.

use anyhow::{Context, Result, bail};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt, ImageFormat};

/// The screen of `display` (`:N`) as a PNG file's bytes.
pub fn capture(display: &str) -> Result<Vec<u8>> {
    let (conn, n) = x11rb::connect(Some(display)).context("connect to the X display")?;
    let screen = &conn.setup().roots[n];
    let (w, h) = (screen.width_in_pixels, screen.height_in_pixels);
    let image = conn
        .get_image(ImageFormat::Z_PIXMAP, screen.root, 0, 0, w, h, !0)?
        .reply()
        .context("read the screen")?;
    let bpp = conn
        .setup()
        .pixmap_formats
        .iter()
        .find(|f| f.depth == image.depth)
        .map(|f| f.bits_per_pixel);
    if image.depth != 24 || bpp != Some(32) {
        bail!(
            "unexpected screen format: depth {}, {bpp:?} bits per pixel",
            image.depth
        );
    }
    // 32 bits per pixel, blue-green-red-unused in memory (little-endian X server).
    let rgb: Vec<u8> = image
        .data
        .chunks_exact(4)
        .flat_map(|p| [p[2], p[1], p[0]])
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, u32::from(w), u32::from(h));
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}
